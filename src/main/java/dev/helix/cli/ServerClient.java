package dev.helix.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helix.config.HelixConfig;
import dev.helix.launcher.LauncherClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The CLI's way to a running helix server, which owns the store while it runs (SPEC §1): the one
 * the launcher of this {@code $HELIX_HOME} runs ({@link LauncherClient#addresses}), else the configured
 * one, found by {@code GET /health} answering {@code "service":"helix"}, then asked over its JSON
 * routes.
 */
final class ServerClient {
  /** A server on loopback answers /health in milliseconds; this only bounds a hung port. */
  private static final Duration PROBE = Duration.ofMillis(1500);

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;
  private final String base;
  private final HelixConfig config;

  private ServerClient(HttpClient http, String base, HelixConfig config) {
    this.http = http;
    this.base = base;
    this.config = config;
  }

  /** The server of this {@code $HELIX_HOME}'s launcher, else the configured one, if it answers as helix. */
  static Optional<ServerClient> find(HelixConfig config) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(PROBE).followRedirects(HttpClient.Redirect.NEVER).build();
    String base = LauncherClient.addresses(config).serverUrl();
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/health")).timeout(PROBE).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 200 && JSON.readTree(r.body()).path("service").asText("").equals("helix")) {
        return Optional.of(new ServerClient(http, base, config));
      }
    } catch (IOException e) {
      // Nothing (or something else) answers there: the CLI works on the store itself.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return Optional.empty();
  }

  String base() {
    return base;
  }

  /** POSTs a JSON body and returns the JSON answer; an error status fails with the server's message. */
  Map<String, Object> post(String path, Map<String, Object> body, Duration timeout) throws IOException, InterruptedException {
    return send(path, HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
  }

  /** GETs a JSON answer, as {@link #post} does. */
  Map<String, Object> get(String path, Duration timeout) throws IOException, InterruptedException {
    return send(path, HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout).GET());
  }

  /** DELETEs, as {@link #post} does; a 404 is a bad argument (a name that is not there). */
  Map<String, Object> delete(String path, Duration timeout) throws IOException, InterruptedException {
    return send(path, HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout).DELETE());
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> send(String path, HttpRequest.Builder b) throws IOException, InterruptedException {
    if (config.server().hasToken()) {
      b.header("Authorization", "Bearer " + config.server().token());
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    Map<String, Object> answer;
    try {
      answer = JSON.readValue(r.body(), Map.class);
    } catch (IOException e) {
      throw new CommandFailedException("the helix server at " + base + path + " answered " + r.statusCode()
          + " with a body that is not JSON; check its log", ExitCodes.ERROR);
    }
    if (r.statusCode() / 100 != 2) {
      Object error = answer.get("error");
      String message = error instanceof Map<?, ?> m ? String.valueOf(m.get("message")) : r.body();
      // A 400 refuses what the user gave (a missing path, an empty query): a bad argument, as it
      // is when the CLI works on the store itself.
      throw new CommandFailedException("the helix server at " + base + path + " answered " + r.statusCode() + ": " + message
          + (r.statusCode() == 401 ? " (set [server] token or HELIX_TOKEN to the server's token)" : ""),
          r.statusCode() == 400 || r.statusCode() == 404 ? ExitCodes.USAGE : ExitCodes.ERROR);
    }
    return answer;
  }
}
