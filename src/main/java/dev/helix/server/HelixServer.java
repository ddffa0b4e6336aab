package dev.helix.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.helix.config.HelixConfig;
import dev.helix.context.ContextService;
import dev.helix.http.JsonResponses;
import dev.helix.http.LocalGuard;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The helix server: binds, routes requests through the local guard, and shuts down on request. */
public final class HelixServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HelixServer.class);

  private final HelixConfig config;
  private final ContextService context;
  private final String version;
  private final HttpServer http;
  private final LocalGuard guard;
  private final JsonResponses json = new JsonResponses(new ObjectMapper());
  private final CountDownLatch stopped = new CountDownLatch(1);

  private HelixServer(HelixConfig config, ContextService context, String version) throws IOException {
    this.config = config;
    this.context = context;
    this.version = version;
    this.guard = new LocalGuard(config.server().host(), config.server().allowedHosts());
    this.http = HttpServer.create(new InetSocketAddress(config.server().host(), config.server().port()), 128);
    http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    http.createContext("/", this::handle);
  }

  /** Binds the configured host and port and starts answering. */
  public static HelixServer start(HelixConfig config, ContextService context, String version) throws IOException {
    HelixServer server = new HelixServer(config, context, version);
    server.http.start();
    log.info("helix server listening on http://{}:{}", config.server().host(), server.port());
    return server;
  }

  /** The port actually bound (useful with port 0). */
  public int port() {
    return http.getAddress().getPort();
  }

  /** Blocks until {@code POST /admin/shutdown} or {@link #close()}. */
  public void awaitShutdown() throws InterruptedException {
    stopped.await();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      boolean hasBody = exchange.getRequestHeaders().containsKey("Transfer-Encoding")
          || Optional.ofNullable(exchange.getRequestHeaders().getFirst("Content-Length"))
              .map(v -> !v.trim().equals("0")).orElse(false);
      Optional<LocalGuard.Rejection> rejection =
          guard.check(exchange.getRequestMethod(), exchange.getRequestHeaders(), hasBody, port());
      if (rejection.isPresent()) {
        json.sendError(exchange, rejection.get().status(), rejection.get().message(), "invalid_request_error", null, null);
        return;
      }
      String route = exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
      if (!exchange.getRequestURI().getPath().equals("/health") && !tokenAccepted(exchange)) {
        json.sendError(exchange, 401, "this server needs its token: send 'Authorization: Bearer <token>' with the"
            + " value of [server] token or HELIX_TOKEN", "invalid_request_error", null, "invalid_token");
        return;
      }
      switch (route) {
        case "GET /health" -> json.send(exchange, 200, health());
        case "POST /admin/shutdown" -> {
          json.send(exchange, 200, Map.of("ok", true));
          Thread.ofVirtual().start(this::close);
        }
        default -> json.sendError(exchange, 404, "no route " + route, "invalid_request_error", null, null);
      }
    }
  }

  /** SPEC §10: with a token configured, every route but /health needs it (compared in constant time). */
  private boolean tokenAccepted(HttpExchange exchange) {
    String token = config.server().token();
    if (token == null || token.isEmpty()) {
      return true;
    }
    String sent = exchange.getRequestHeaders().getFirst("Authorization");
    String prefix = "Bearer ";
    if (sent == null || !sent.regionMatches(true, 0, prefix, 0, prefix.length())) {
      return false;
    }
    return MessageDigest.isEqual(sent.substring(prefix.length()).trim().getBytes(StandardCharsets.UTF_8),
        token.getBytes(StandardCharsets.UTF_8));
  }

  private Map<String, Object> health() throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("service", "helix");
    body.put("version", version);
    body.put("pid", ProcessHandle.current().pid());
    body.put("status", "ok");
    body.put("store", Map.of("ready", true, "chunks", context.stats().chunks()));
    body.put("upstream", Map.of("url", config.server().upstream(), "reachable", false));
    return body;
  }

  @Override
  public void close() {
    if (stopped.getCount() == 0) {
      return;
    }
    http.stop(0);
    stopped.countDown();
  }
}
