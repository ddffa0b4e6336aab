package dev.helix.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import dev.helix.http.JsonResponses;
import dev.helix.http.LocalGuard;
import dev.helix.http.QueryString;
import dev.helix.http.Requests;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The launcher's routes: {@code GET /} (dashboard), {@code GET /api/state}, the control API {@code
 * POST /api/control/{start,stop,restart,shutdown}?target=server|headroom}, and the question box's
 * {@code POST /api/context} and {@code GET /api/source}, relayed to the server. Checks run in
 * docs/security.md's order: Host, Origin, content type ({@link LocalGuard}), then the session
 * token.
 */
final class LauncherHttp {
  private static final Logger log = LoggerFactory.getLogger(LauncherHttp.class);
  static final String SESSION_HEADER = "X-Helix-Session";

  /** A control body is {} or {"force": true}; anything near a kilobyte is not one. */
  private static final int MAX_BODY = 4096;

  /** A question is a sentence or a paragraph and a few root names; 64 KiB is far beyond one. */
  private static final int MAX_QUESTION = 64 * 1024;

  /** What the routes act on. */
  interface Actions {
    ControlResult control(String action, String target, boolean force);

    Object state();

    void shutdownSoon();

    /** The server's answer to a question from the dashboard ({@code POST /context}). */
    ServerRelay.Answer context(String body);

    /** Cited lines from the server ({@code GET /source}), given the page's query parameters. */
    ServerRelay.Answer source(Map<String, String> query);
  }

  private final LocalGuard guard;
  private final SessionToken token;
  private final Path tokenFile;
  private final Actions actions;
  private final Supplier<Integer> port;
  private final Dashboard dashboard;
  private final ObjectMapper mapper;
  private final JsonResponses json;

  LauncherHttp(
      LocalGuard guard,
      SessionToken token,
      Path tokenFile,
      Actions actions,
      Supplier<Integer> port,
      Dashboard dashboard,
      ObjectMapper mapper) {
    this.guard = guard;
    this.token = token;
    this.tokenFile = tokenFile;
    this.actions = actions;
    this.port = port;
    this.dashboard = dashboard;
    this.mapper = mapper;
    this.json = new JsonResponses(mapper);
  }

  void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      boolean hasBody = Requests.hasBody(exchange.getRequestHeaders());
      Optional<LocalGuard.Rejection> rejection =
          guard.check(method, exchange.getRequestHeaders(), hasBody, port.get());
      if (rejection.isPresent()) {
        reject(exchange, rejection.get().status(), rejection.get().message());
        return;
      }
      String path = exchange.getRequestURI().getPath();
      exchange.getResponseHeaders().set("Cache-Control", "no-store");
      exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
      if (method.equals("GET") && (path.equals("/") || path.equals("/index.html"))) {
        sendHtml(exchange, dashboard.render(token.value()));
      } else if (method.equals("GET") && path.equals("/api/state")) {
        json.send(exchange, 200, actions.state());
      } else if (path.startsWith("/api/control/")) {
        control(exchange, method, path.substring("/api/control/".length()));
      } else if (path.equals("/api/context")) {
        context(exchange, method);
      } else if (path.equals("/api/source")) {
        source(exchange, method);
      } else {
        reject(
            exchange,
            404,
            "no route "
                + method
                + " "
                + path
                + "; the launcher serves GET /, GET /api/state, "
                + "POST /api/control/{start,stop,restart,shutdown}, POST /api/context and GET /api/source");
      }
    }
  }

  private void control(HttpExchange exchange, String method, String action) throws IOException {
    if (!method.equals("POST")) {
      exchange.getResponseHeaders().set("Allow", "POST");
      reject(exchange, 405, "the control API takes POST, not " + method);
      return;
    }
    if (!authorized(exchange)) {
      return;
    }
    String target = query(exchange, "target", "server");
    if (!target.equals("server") && !target.equals("headroom")) {
      reject(
          exchange,
          400,
          "target='" + target + "' is not allowed; use target=server (default) or target=headroom");
      return;
    }
    boolean force;
    try {
      force = force(exchange.getRequestBody());
    } catch (IllegalArgumentException e) {
      reject(exchange, 400, e.getMessage());
      return;
    }
    switch (action) {
      case "start", "stop", "restart" -> {
        log.info("control: {} {}{} requested", action, target, force ? " (force)" : "");
        ControlResult result = actions.control(action, target, force);
        json.send(exchange, result.status(), result.body());
      }
      case "shutdown" -> {
        json.send(exchange, 200, Map.of("ok", true, "message", "the launcher is shutting down"));
        actions.shutdownSoon();
      }
      default ->
          reject(
              exchange,
              404,
              "unknown control action '" + action + "'; use start, stop, restart or shutdown");
    }
  }

  /**
   * {@code POST /api/context}: the question box. It needs the session token like the control API:
   * it runs queries in the user's store and shows their text, so only the dashboard page (which
   * embeds the token) and the user's own scripts may ask.
   */
  private void context(HttpExchange exchange, String method) throws IOException {
    if (!method.equals("POST")) {
      exchange.getResponseHeaders().set("Allow", "POST");
      reject(exchange, 405, "/api/context takes POST with {\"query\": \"...\"}, not " + method);
      return;
    }
    if (!authorized(exchange)) {
      return;
    }
    byte[] bytes = exchange.getRequestBody().readNBytes(MAX_QUESTION + 1);
    if (bytes.length > MAX_QUESTION) {
      reject(
          exchange, 413, "the question is over " + MAX_QUESTION / 1024 + " KiB; ask a shorter one");
      return;
    }
    send(exchange, actions.context(new String(bytes, StandardCharsets.UTF_8)));
  }

  /**
   * {@code GET /api/source?path=&start=&end=}: the cited lines. A GET, but it shows file contents,
   * so it needs the session token too; a page on another site cannot send that header without a
   * CORS preflight, which the launcher never grants.
   */
  private void source(HttpExchange exchange, String method) throws IOException {
    if (!method.equals("GET")) {
      exchange.getResponseHeaders().set("Allow", "GET");
      reject(
          exchange, 405, "/api/source takes GET ?path=/abs/File.java&start=S&end=E, not " + method);
      return;
    }
    if (!authorized(exchange)) {
      return;
    }
    send(exchange, actions.source(QueryString.parse(exchange.getRequestURI().getRawQuery())));
  }

  /** True when the session token is right; otherwise answers 401 naming the token file. */
  private boolean authorized(HttpExchange exchange) throws IOException {
    if (token.matches(exchange.getRequestHeaders().getFirst(SESSION_HEADER))) {
      return true;
    }
    reject(
        exchange,
        401,
        "missing or wrong "
            + SESSION_HEADER
            + " header; the launcher's session token is in "
            + tokenFile
            + " (new at each launcher start)");
    return false;
  }

  private void send(HttpExchange exchange, ServerRelay.Answer answer) throws IOException {
    json.send(exchange, answer.status(), answer.body());
  }

  private boolean force(InputStream body) throws IOException {
    byte[] bytes = body.readNBytes(MAX_BODY + 1);
    if (bytes.length > MAX_BODY) {
      throw new IllegalArgumentException(
          "the control body is too large; send {} or {\"force\": true}");
    }
    String text = new String(bytes, StandardCharsets.UTF_8).trim();
    if (text.isEmpty()) {
      return false;
    }
    JsonNode node;
    try {
      node = mapper.readTree(text);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "the control body is not JSON; send {} or {\"force\": true}");
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException(
          "the control body must be a JSON object: {} or {\"force\": true}");
    }
    JsonNode force = node.path("force");
    if (!force.isMissingNode() && !force.isBoolean()) {
      throw new IllegalArgumentException("force must be true or false, but was " + force);
    }
    return force.asBoolean(false);
  }

  private static String query(HttpExchange exchange, String name, String fallback) {
    return QueryString.parse(exchange.getRequestURI().getRawQuery()).getOrDefault(name, fallback);
  }

  private void reject(HttpExchange exchange, int status, String message) throws IOException {
    Map<String, Object> body = JsonResponses.error(message, "invalid_request_error", null, null);
    body.put("ok", false);
    body.put("message", message);
    json.send(exchange, status, body);
  }

  private static void sendHtml(HttpExchange exchange, String html) throws IOException {
    byte[] bytes = html.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
    // The page is self-contained: nothing may load from elsewhere, and no other site may frame it.
    exchange
        .getResponseHeaders()
        .set(
            "Content-Security-Policy",
            "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'");
    exchange.getResponseHeaders().set("X-Frame-Options", "DENY");
    exchange.getResponseHeaders().set("Referrer-Policy", "no-referrer");
    exchange.sendResponseHeaders(200, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
