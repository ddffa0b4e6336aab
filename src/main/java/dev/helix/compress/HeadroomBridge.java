package dev.helix.compress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks a running Headroom to compress: {@code POST /v1/compress} with the text as one user
 * message. Any failure (refused, timeout, non-2xx, empty or malformed body, an answer over the
 * budget) gives an empty result and a log line, never an exception: the caller then compresses
 * locally. The whole call, body included, is bounded by the timeout.
 */
final class HeadroomBridge implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HeadroomBridge.class);

  private final HttpClient client;
  private final URI endpoint;
  private final Duration timeout;
  private final Tokens tokens;
  private final ObjectMapper mapper = new ObjectMapper();

  HeadroomBridge(String baseUrl, Duration timeout, Tokens tokens) {
    this.endpoint = URI.create(baseUrl.replaceAll("/+$", "") + "/v1/compress");
    this.timeout = timeout;
    this.tokens = tokens;
    this.client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(timeout)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  /**
   * Headroom's compression of {@code text} if it gave one within the budget and the timeout, and,
   * when {@code json}, one that parses as JSON.
   */
  Optional<String> compress(String text, int budget, boolean json) {
    CompletableFuture<HttpResponse<String>> call;
    try {
      ObjectNode body = mapper.createObjectNode();
      body.putArray("messages").addObject().put("role", "user").put("content", text);
      HttpRequest request = HttpRequest.newBuilder(endpoint)
          .timeout(timeout)
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(mapper.writeValueAsString(body)))
          .build();
      call = client.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException | RuntimeException e) {
      return fallBack("could not send the request: " + e, false);
    }
    HttpResponse<String> response;
    try {
      // Bounds the body as well as the headers: HttpRequest.timeout() covers only the headers.
      response = call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      call.cancel(true);
      return fallBack("no answer within " + seconds() + " s ([headroom] compress_timeout)", false);
    } catch (InterruptedException e) {
      call.cancel(true);
      Thread.currentThread().interrupt();
      return fallBack("interrupted while waiting", false);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof java.net.http.HttpTimeoutException) {
        return fallBack("no answer within " + seconds() + " s ([headroom] compress_timeout)", false);
      }
      boolean refused = cause instanceof ConnectException;
      return fallBack(refused ? "not reachable (connection refused)" : "call failed: " + cause, refused);
    }
    if (response.statusCode() / 100 != 2) {
      return fallBack("answered HTTP " + response.statusCode(), false);
    }
    return read(response.body(), budget, json);
  }

  private Optional<String> read(String body, int budget, boolean json) {
    if (body == null || body.isBlank()) {
      return fallBack("answered with an empty body", false);
    }
    JsonNode answer;
    try {
      answer = mapper.readTree(body);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return fallBack("answered with malformed JSON (" + e.getOriginalMessage() + ")", false);
    }
    JsonNode messages = answer == null ? null : answer.get("messages");
    if (messages == null || !messages.isArray() || messages.isEmpty()) {
      return fallBack("answered without a \"messages\" array", false);
    }
    String text = content(messages.get(messages.size() - 1).get("content"));
    if (text == null || text.isBlank()) {
      return fallBack("answered with an empty message content", false);
    }
    int size = tokens.count(text);
    if (size > budget) {
      return fallBack("answered " + size + " tokens, over the budget of " + budget, false);
    }
    if (json && !parses(text)) {
      return fallBack("answered text that is not valid JSON for a JSON document", false);
    }
    log.debug("Headroom compressed {} tokens (tokens_before {}, tokens_after {})", size,
        answer.path("tokens_before").asText("?"), answer.path("tokens_after").asText("?"));
    return Optional.of(text);
  }

  private boolean parses(String text) {
    try {
      return mapper.readTree(text) != null;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return false;
    }
  }

  /** A message's content: a string, or the text parts of an array of parts. */
  private static String content(JsonNode content) {
    if (content == null) {
      return null;
    }
    if (content.isTextual()) {
      return content.textValue();
    }
    if (content.isArray()) {
      StringBuilder out = new StringBuilder();
      for (JsonNode part : content) {
        if (part.path("text").isTextual()) {
          out.append(part.path("text").textValue());
        }
      }
      return out.toString();
    }
    return null;
  }

  private Optional<String> fallBack(String why, boolean quiet) {
    // Headroom is optional: not running is the normal case and only worth a debug line.
    if (quiet) {
      log.debug("Headroom at {} {}; compressing locally", endpoint, why);
    } else {
      log.info("Headroom at {} {}; compressing locally", endpoint, why);
    }
    return Optional.empty();
  }

  private String seconds() {
    return String.valueOf(timeout.toMillis() / 1000.0);
  }

  @Override
  public void close() {
    client.close();
  }
}
