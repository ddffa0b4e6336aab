package dev.helix.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Writes JSON answers and OpenAI-shaped errors ({@code {"error": {message, type, param, code}}}).
 */
public final class JsonResponses {
  private final ObjectMapper mapper;

  public JsonResponses(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /** Sends {@code body} as JSON with {@code status}, and closes the exchange's body. */
  public void send(HttpExchange exchange, int status, Object body) throws IOException {
    byte[] bytes = mapper.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** Sends an error in OpenAI's shape. */
  public void sendError(
      HttpExchange exchange,
      int status,
      String message,
      String type,
      @Nullable String param,
      @Nullable String code)
      throws IOException {
    send(exchange, status, error(message, type, param, code));
  }

  /** The OpenAI error object. */
  public static Map<String, Object> error(
      String message, String type, @Nullable String param, @Nullable String code) {
    Map<String, @Nullable Object> inner = new LinkedHashMap<>();
    inner.put("message", message);
    inner.put("type", type);
    inner.put("param", param);
    inner.put("code", code);
    Map<String, Object> outer = new LinkedHashMap<>();
    outer.put("error", inner);
    return outer;
  }
}
