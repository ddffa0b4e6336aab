package dev.helix.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for Headroom, started exactly as the launcher starts the real one ({@code [headroom]
 * command} + {@code --host H --port P --mode M --no-rate-limit}): serves its health routes and
 * dashboard, a truncating {@code /v1/compress}, and forwards {@code /v1/chat/completions} to {@code
 * OPENAI_TARGET_API_URL}. {@code GET /_standin} reports its argv, pid, environment and calls.
 */
public final class StandInHeadroom {
  private StandInHeadroom() {}

  public static void main(String[] args) throws IOException {
    String host = "127.0.0.1";
    int port = -1;
    String mode = null;
    List<String> unknown = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--host" -> host = args[++i];
        case "--port" -> port = Integer.parseInt(args[++i]);
        case "--mode" -> mode = args[++i];
        case "--no-rate-limit" -> {}
        default -> unknown.add(args[i]);
      }
    }
    if (port < 0 || mode == null || !unknown.isEmpty()) {
      System.err.println(
          "stand-in headroom: usage: --host H --port P --mode token|cache [--no-rate-limit]; unknown "
              + unknown);
      System.exit(2);
    }
    ObjectMapper mapper = new ObjectMapper();
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    String target = System.getenv("OPENAI_TARGET_API_URL");
    AtomicInteger chatCalls = new AtomicInteger();
    HttpServer http = HttpServer.create(new InetSocketAddress(host, port), 64);
    http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    String finalMode = mode;
    http.createContext(
        "/",
        exchange -> {
          try (exchange) {
            String route = exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
            switch (route) {
              case "GET /livez", "GET /readyz", "GET /health" ->
                  send(
                      exchange,
                      200,
                      mapper.writeValueAsBytes(Map.of("status", "ok")),
                      "application/json");
              case "GET /dashboard" ->
                  send(
                      exchange,
                      200,
                      "<html><body><h1>stand-in Headroom</h1></body></html>"
                          .getBytes(StandardCharsets.UTF_8),
                      "text/html");
              case "GET /_standin" -> {
                Map<String, Object> info = new LinkedHashMap<>();
                info.put("argv", Arrays.asList(args));
                info.put("mode", finalMode);
                info.put("pid", ProcessHandle.current().pid());
                Map<String, String> env = new LinkedHashMap<>();
                env.put("OPENAI_TARGET_API_URL", System.getenv("OPENAI_TARGET_API_URL"));
                env.put("HELIX_SERVER_UPSTREAM", System.getenv("HELIX_SERVER_UPSTREAM"));
                info.put("env", env);
                info.put("chat_calls", chatCalls.get());
                send(exchange, 200, mapper.writeValueAsBytes(info), "application/json");
              }
              case "POST /v1/compress" -> {
                JsonNode body = mapper.readTree(exchange.getRequestBody());
                String text = body.path("messages").path(0).path("content").asText("");
                String kept =
                    text.substring(0, Math.min(text.length(), Math.max(1, text.length() / 2)));
                Map<String, Object> answer = new LinkedHashMap<>();
                answer.put("messages", List.of(Map.of("role", "user", "content", kept)));
                answer.put("tokens_before", text.length() / 4);
                answer.put("tokens_after", kept.length() / 4);
                send(exchange, 200, mapper.writeValueAsBytes(answer), "application/json");
              }
              case "POST /v1/chat/completions" -> {
                chatCalls.incrementAndGet();
                if (target == null || target.isEmpty()) {
                  send(
                      exchange,
                      502,
                      "{\"error\":{\"message\":\"stand-in headroom: OPENAI_TARGET_API_URL is not set\"}}"
                          .getBytes(StandardCharsets.UTF_8),
                      "application/json");
                  return;
                }
                byte[] body = exchange.getRequestBody().readAllBytes();
                HttpRequest.Builder forward =
                    HttpRequest.newBuilder(URI.create(target + "/chat/completions"))
                        .timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .header("Content-Type", "application/json");
                String auth = exchange.getRequestHeaders().getFirst("Authorization");
                if (auth != null) {
                  forward.header("Authorization", auth);
                }
                try {
                  HttpResponse<byte[]> response =
                      client.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
                  exchange.getResponseHeaders().set("X-Standin-Headroom", "forwarded");
                  send(exchange, response.statusCode(), response.body(), "application/json");
                } catch (IOException | InterruptedException e) {
                  send(
                      exchange,
                      502,
                      mapper.writeValueAsBytes(
                          Map.of(
                              "error",
                              Map.of(
                                  "message",
                                  "stand-in headroom could not reach " + target + ": " + e))),
                      "application/json");
                }
              }
              default ->
                  send(exchange, 404, "{}".getBytes(StandardCharsets.UTF_8), "application/json");
            }
          }
        });
    http.start();
    System.err.println(
        "stand-in headroom listening on "
            + host
            + ":"
            + port
            + " mode "
            + mode
            + " target "
            + target);
  }

  static void send(HttpExchange exchange, int status, byte[] body, String type) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
