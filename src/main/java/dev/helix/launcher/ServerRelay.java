package dev.helix.launcher;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import org.jspecify.annotations.Nullable;

/**
 * The dashboard's question box, relayed to the supervised server: {@code POST /context} (with the
 * proxy's injected block) and {@code GET /source}. The launcher adds the server token and nothing
 * else, so the page sees exactly what an agent would; only these two routes are reachable this way.
 */
final class ServerRelay {
  /**
   * A first question loads the ranking (and, with embeddings on, the model) in the server; about a
   * second here, so 30 s leaves room for a slow disk without leaving the user waiting forever.
   */
  static final Duration CONTEXT_TIMEOUT = Duration.ofSeconds(30);

  /** Reading a few cited lines from the store is a local file read. */
  static final Duration SOURCE_TIMEOUT = Duration.ofSeconds(10);

  /** Longest server message quoted when the server's error is not its usual JSON. */
  private static final int MAX_QUOTED = 300;

  /** One relayed answer: the HTTP status and JSON body the launcher sends to the page. */
  record Answer(int status, Object body) {}

  private final ServerChild server;
  private final Probe probe;
  private final ObjectMapper mapper;

  ServerRelay(ServerChild server, Probe probe, ObjectMapper mapper) {
    this.server = server;
    this.probe = probe;
    this.mapper = mapper;
  }

  /**
   * Relays a question. {@code body} is the page's JSON object ({@code query}, optional {@code
   * roots}); {@code injection} is asked for unless the body says otherwise, since the point of the
   * question box is to show what the proxy would inject.
   */
  Answer context(String body) {
    ObjectNode request;
    try {
      JsonNode node = mapper.readTree(body);
      if (node == null || !node.isObject()) {
        return error(
            400,
            "the question must be a JSON object such as {\"query\": \"how are tokens refreshed?\","
                + " \"roots\": [\"api\"]}, but was "
                + quote(body));
      }
      request = (ObjectNode) node;
    } catch (JsonProcessingException e) {
      return error(
          400,
          "the question is not JSON (" + e.getOriginalMessage() + "); send {\"query\": \"...\"}");
    }
    if (!request.has("injection")) {
      request.put("injection", true);
    }
    String json;
    try {
      json = mapper.writeValueAsString(request);
    } catch (JsonProcessingException e) {
      return error(500, "could not re-encode the question: " + e.getMessage());
    }
    return relay("POST", "/context", json, CONTEXT_TIMEOUT);
  }

  /**
   * Relays {@code GET /source} with only {@code path}, {@code start} and {@code end} passed on
   * (re-encoded), so the page cannot reach any other route through the launcher.
   */
  Answer source(Map<String, String> query) {
    StringJoiner params = new StringJoiner("&", "/source?", "");
    for (String name : new String[] {"path", "start", "end"}) {
      String value = query.get(name);
      if (value != null) {
        params.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
      }
    }
    return relay("GET", params.toString(), null, SOURCE_TIMEOUT);
  }

  private Answer relay(
      String method, String pathAndQuery, @Nullable String json, Duration timeout) {
    ServerChild.Settings spec = server.settings();
    if (!server.running()) {
      return error(
          503,
          server.starting()
              ? "the helix server is still starting; ask again in a moment (its status is on the dashboard)"
              : "the helix server is stopped, so it cannot answer; press Start on the dashboard (or run helix up) and"
                  + " ask again");
    }
    String url = spec.baseUrl() + pathAndQuery;
    Optional<Probe.Reply> reply =
        method.equals("POST")
            ? probe.post(
                url,
                timeout,
                spec.bearer() == null
                    ? Map.of()
                    : Map.of("Authorization", "Bearer " + spec.bearer()),
                json)
            : probe.get(url, timeout, spec.bearer());
    if (reply.isEmpty()) {
      return error(
          503,
          "the helix server at "
              + spec.baseUrl()
              + " did not answer (connection refused, or no reply"
              + " within "
              + timeout.toSeconds()
              + " s); it may have stopped or be busy ingesting: see the server status"
              + " on the dashboard and "
              + spec.log());
    }
    Probe.Reply r = reply.get();
    JsonNode answer = probe.parse(r.body());
    if (r.success() && answer != null && answer.isObject()) {
      return new Answer(r.status(), answer);
    }
    if (!r.success()) {
      // The server's own words and status (an unknown root lists the known ones), so the page shows
      // them.
      if (answer instanceof ObjectNode failure
          && answer.path("error").path("message").isTextual()) {
        failure.put("ok", false);
        failure.put("message", answer.path("error").path("message").asText());
        return new Answer(r.status(), failure);
      }
      return error(
          r.status(), "the helix server answered HTTP " + r.status() + ": " + quote(r.body()));
    }
    return error(
        502,
        "the helix server answered "
            + pathAndQuery.split("\\?", 2)[0]
            + " with something that is not a"
            + " JSON object: "
            + quote(r.body())
            + "; see "
            + spec.log());
  }

  private static String quote(String text) {
    String t = text.strip();
    return "'" + (t.length() > MAX_QUOTED ? t.substring(0, MAX_QUOTED) + "…" : t) + "'";
  }

  /**
   * The launcher's error shape: {@code {ok: false, message, error: {message, type, param, code}}}.
   */
  static Answer error(int status, String message) {
    Map<String, @Nullable Object> inner = new LinkedHashMap<>();
    inner.put("message", message);
    inner.put("type", status >= 500 ? "server_error" : "invalid_request_error");
    inner.put("param", null);
    inner.put("code", null);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("ok", false);
    body.put("message", message);
    body.put("error", inner);
    return new Answer(status, body);
  }
}
