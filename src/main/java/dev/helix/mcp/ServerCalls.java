package dev.helix.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The HTTP calls behind the tools: one request to the helix server per tool call, with the bearer
 * token when one is configured. Never throws for a network failure: it is a {@link Reply} too.
 */
final class ServerCalls {
  /**
   * The server is local: a loopback connect takes well under a millisecond, so two seconds only
   * ever elapse when nothing listens and the SYN is dropped (a firewalled or wrong host).
   */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

  /** What the server did with one request. */
  sealed interface Reply {}

  /** The server answered with {@code status} and {@code body} (any status). */
  record Answered(int status, String body) implements Reply {}

  /** No answer: refused, timed out or broken; {@code why} says which, for the user. */
  record Unreachable(Failure failure, String detail) implements Reply {}

  /** The ways a call can fail to get an answer; each gets its own advice. */
  enum Failure { REFUSED, CONNECT_TIMEOUT, ANSWER_TIMEOUT, BROKEN }

  private final String base;
  private final @Nullable String token;
  private final HttpClient http;
  private final ObjectMapper json;

  ServerCalls(String base, @Nullable String token, ObjectMapper json) {
    this.base = base;
    this.token = token;
    this.json = json;
    // Redirects never followed: a local server that redirects is not helix.
    this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
        .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1).build();
  }

  /** The server's base URL, as the messages name it. */
  String base() {
    return base;
  }

  Reply get(String path, Duration timeout) {
    return send(request(path, timeout).GET().build());
  }

  Reply post(String path, Map<String, ?> body, Duration timeout) {
    String text;
    try {
      text = json.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      // The arguments came from JSON, so they always serialise back; a failure is a bug here.
      throw new IllegalStateException("could not serialise the arguments for POST " + path + ": " + e.getMessage(), e);
    }
    return send(request(path, timeout).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8)).build());
  }

  private HttpRequest.Builder request(String path, Duration timeout) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout)
        .header("Accept", "application/json");
    if (token != null && !token.isEmpty()) {
      builder.header("Authorization", "Bearer " + token);
    }
    return builder;
  }

  private Reply send(HttpRequest request) {
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Answered(response.statusCode(), response.body());
    } catch (HttpConnectTimeoutException e) {
      return new Unreachable(Failure.CONNECT_TIMEOUT, "no answer to the connection within " + CONNECT_TIMEOUT.toSeconds() + " s");
    } catch (HttpTimeoutException e) {
      return new Unreachable(Failure.ANSWER_TIMEOUT, "no answer within " + request.timeout().orElseThrow().toSeconds() + " s");
    } catch (ConnectException e) {
      return new Unreachable(Failure.REFUSED, "connection refused");
    } catch (IOException e) {
      return new Unreachable(Failure.BROKEN, describe(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Unreachable(Failure.BROKEN, "interrupted while waiting for the answer (helix mcp is shutting down)");
    }
  }

  private static String describe(Throwable e) {
    // The JDK client wraps the useful cause (e.g. "Connection reset") one or two levels down.
    Throwable t = e;
    while (t.getCause() != null && (t.getMessage() == null || t.getMessage().isBlank())) {
      t = t.getCause();
    }
    String message = t.getMessage();
    return t.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
  }
}
