package dev.helix.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jspecify.annotations.Nullable;

/** GETs one JSON document from a local daemon for {@code helix status}; a failure is an answer too. */
final class StatusProbe {
  /** Both daemons are local: a connect that takes a second means nothing is listening usefully. */
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);

  /** SPEC §6: /health answers within about a second even when the upstream hangs; 3 s is generous. */
  private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(3);

  /**
   * What one GET gave: a JSON body with its status, or why there was none.
   *
   * @param status the HTTP status, 0 when nothing answered
   */
  record Probe(int status, @Nullable JsonNode body, @Nullable String failure) {
    boolean answered() {
      return status != 0;
    }

    boolean ok() {
      return status == 200 && body != null;
    }
  }

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
      .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1).build();
  private final ObjectMapper json;

  StatusProbe(ObjectMapper json) {
    this.json = json;
  }

  CompletableFuture<Probe> get(String url, @Nullable String token) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(ANSWER_TIMEOUT)
        .header("Accept", "application/json").GET();
    if (token != null && !token.isEmpty()) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
        .thenApply(response -> new Probe(response.statusCode(), parse(response.body()), null))
        .exceptionally(e -> new Probe(0, null, describe(e instanceof CompletionException c && c.getCause() != null
            ? c.getCause() : e)));
  }

  private @Nullable JsonNode parse(String body) {
    try {
      JsonNode node = json.readTree(body);
      return node == null || node.isMissingNode() ? null : node;
    } catch (IOException e) {
      return null;
    }
  }

  private static String describe(Throwable e) {
    return switch (e) {
      case HttpConnectTimeoutException t -> "no answer to the connection within " + CONNECT_TIMEOUT.toSeconds() + " s";
      case HttpTimeoutException t -> "no answer within " + ANSWER_TIMEOUT.toSeconds() + " s";
      case ConnectException c -> "connection refused";
      default -> e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    };
  }
}
