package dev.helix.compress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.helix.http.Daemon;
import dev.helix.http.LocalClient;
import dev.helix.http.Reply;
import dev.helix.text.Json;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks a running Headroom to compress: {@code POST /v1/compress} with the text as one user message.
 * Any failure (refused, timeout, non-2xx, empty or malformed body, an answer over the budget) gives
 * an empty result and a log line, never an exception: the caller then compresses locally. The whole
 * call, body included, is bounded by the timeout.
 */
final class HeadroomBridge implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HeadroomBridge.class);

  private final LocalClient client;
  private final String endpoint;
  private final Duration timeout;
  private final Tokens tokens;
  private final ObjectMapper mapper = Json.mapper();

  HeadroomBridge(String baseUrl, Duration timeout, Tokens tokens) {
    this.endpoint = baseUrl.replaceAll("/+$", "") + "/v1/compress";
    this.timeout = timeout;
    this.tokens = tokens;
    this.client = new LocalClient(Daemon.HEADROOM, mapper, timeout);
  }

  /**
   * Headroom's compression of {@code text} if it gave one within the budget and the timeout, and,
   * when {@code json}, one that parses as JSON.
   */
  Optional<String> compress(String text, int budget, boolean json) {
    ObjectNode body = mapper.createObjectNode();
    body.putArray("messages").addObject().put("role", "user").put("content", text);
    Reply reply;
    try {
      reply = client.post(endpoint, body, timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return fallBack("interrupted while waiting", false);
    } catch (IllegalArgumentException e) {
      return fallBack("could not send the request: " + e.getMessage(), false);
    }
    return switch (reply) {
      case Reply.Ok ok -> read(ok.json(), budget, json);
      // Headroom is optional: not running is the normal case.
      case Reply.Refused r -> fallBack("not reachable (connection refused)", true);
      case Reply.TimedOut t ->
          fallBack("no answer within " + seconds() + " s ([headroom] compress_timeout)", false);
      case Reply.ErrorStatus e -> fallBack("answered HTTP " + e.status(), false);
      case Reply.BadAnswer b when b.status() == 0 -> fallBack("call failed: " + b.detail(), false);
      case Reply.BadAnswer b -> fallBack("answered with " + b.detail(), false);
    };
  }

  private Optional<String> read(JsonNode answer, int budget, boolean json) {
    JsonNode messages = answer.get("messages");
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
    log.debug(
        "Headroom compressed {} tokens (tokens_before {}, tokens_after {})",
        size,
        answer.path("tokens_before").asText("?"),
        answer.path("tokens_after").asText("?"));
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

  /** Nothing to release: each call's connection closes with the call. */
  @Override
  public void close() {}
}
