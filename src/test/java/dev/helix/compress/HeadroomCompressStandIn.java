package dev.helix.compress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for Headroom's {@code POST /v1/compress}, run as its own process by the bridge tests.
 * It checks the request has Headroom's shape ({@code messages[0]} a user message with string
 * content) and answers as the first line of that content asks (anywhere in it, so a JSON document
 * can ask in a string): {@code mode=good} (a real-shaped answer), {@code timeout} (sleeps past any
 * compress_timeout), {@code error500}, {@code empty}, {@code malformed}, {@code overbudget} (the
 * text twice). {@code GET /seen?id=X} says whether a request containing {@code id=X} arrived.
 * Prints {@code PORT n} once listening on loopback.
 */
public final class HeadroomCompressStandIn {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Set<String> SEEN = ConcurrentHashMap.newKeySet();
  private static final Pattern ID = Pattern.compile("id=([\\w-]+)");
  private static final Pattern MODE = Pattern.compile("mode=(\\w+)");

  private HeadroomCompressStandIn() {}

  public static void main(String[] args) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/v1/compress", HeadroomCompressStandIn::compress);
    server.createContext(
        "/seen",
        exchange -> {
          String id = exchange.getRequestURI().getQuery().replaceFirst("^id=", "");
          send(exchange, 200, Boolean.toString(SEEN.contains(id)));
        });
    server.start();
    System.out.println("PORT " + server.getAddress().getPort());
    System.out.flush();
  }

  private static void compress(HttpExchange exchange) throws IOException {
    JsonNode body;
    try {
      body = MAPPER.readTree(exchange.getRequestBody().readAllBytes());
    } catch (IOException e) {
      send(exchange, 400, "{\"error\": \"body is not JSON\"}");
      return;
    }
    JsonNode message = body.path("messages").path(0);
    if (!"POST".equals(exchange.getRequestMethod())
        || !message.path("role").asText().equals("user")
        || !message.path("content").isTextual()
        || body.path("messages").size() != 1) {
      send(exchange, 400, "{\"error\": \"expected {messages: [{role: user, content: string}]}\"}");
      return;
    }
    String text = message.path("content").textValue();
    String first = text.lines().findFirst().orElse("");
    // Found anywhere in the first line, so that a JSON document can carry them in a string.
    Matcher id = ID.matcher(first);
    if (id.find()) {
      SEEN.add(id.group(1));
    }
    Matcher asked = MODE.matcher(first);
    String mode = asked.find() ? asked.group(1) : "";
    switch (mode) {
      case "good" -> {
        String compressed = "headroom kept: " + first;
        ObjectNode answer = MAPPER.createObjectNode();
        answer.putArray("messages").addObject().put("role", "user").put("content", compressed);
        answer.put("tokens_before", text.length() / 4);
        answer.put("tokens_after", compressed.length() / 4);
        answer.putArray("transforms_applied").add("smart_crusher");
        send(exchange, 200, MAPPER.writeValueAsString(answer));
      }
      case "timeout" -> {
        try {
          Thread.sleep(30_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        send(exchange, 200, "{}");
      }
      case "error500" ->
          send(exchange, 500, "{\"error\": {\"message\": \"compression pipeline crashed\"}}");
      case "empty" -> send(exchange, 200, "");
      case "malformed" -> send(exchange, 200, "{\"messages\": [{\"role\": \"user\", \"content\": ");
      case "overbudget" -> {
        ObjectNode answer = MAPPER.createObjectNode();
        answer.putArray("messages").addObject().put("role", "user").put("content", text + text);
        send(exchange, 200, MAPPER.writeValueAsString(answer));
      }
      default -> send(exchange, 400, "{\"error\": \"unknown mode " + mode + "\"}");
    }
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
