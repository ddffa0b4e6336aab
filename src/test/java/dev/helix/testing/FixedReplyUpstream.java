package dev.helix.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny OpenAI-ish upstream: {@code POST /v1/chat/completions} answers a fixed completion that
 * names how many messages it saw; {@code GET /_standin} counts the calls. Args: {@code --port P}.
 */
public final class FixedReplyUpstream {
  /** The reply's text, so a test can tell this upstream's answer from any other. */
  public static final String REPLY = "stand-in upstream reply";

  private FixedReplyUpstream() {}

  public static void main(String[] args) throws IOException {
    int port = Integer.parseInt(args[1]);
    ObjectMapper mapper = new ObjectMapper();
    AtomicInteger calls = new AtomicInteger();
    HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
    http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    http.createContext(
        "/",
        exchange -> {
          try (exchange) {
            String route = exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
            byte[] body;
            int status = 200;
            if (route.equals("POST /v1/chat/completions")) {
              calls.incrementAndGet();
              JsonNode request = mapper.readTree(exchange.getRequestBody());
              Map<String, Object> answer = new LinkedHashMap<>();
              answer.put("id", "chatcmpl-standin");
              answer.put("object", "chat.completion");
              answer.put("created", System.currentTimeMillis() / 1000);
              answer.put("model", request.path("model").asText("stand-in"));
              answer.put(
                  "choices",
                  List.of(
                      Map.of(
                          "index",
                          0,
                          "finish_reason",
                          "stop",
                          "message",
                          Map.of(
                              "role",
                              "assistant",
                              "content",
                              REPLY + " (" + request.path("messages").size() + " messages)"))));
              answer.put(
                  "usage", Map.of("prompt_tokens", 1, "completion_tokens", 1, "total_tokens", 2));
              body = mapper.writeValueAsBytes(answer);
            } else if (route.equals("GET /_standin")) {
              body = mapper.writeValueAsBytes(Map.of("chat_calls", calls.get()));
            } else {
              status = 404;
              body = "{\"error\":{\"message\":\"no route\"}}".getBytes(StandardCharsets.UTF_8);
            }
            StandInHeadroom.send(exchange, status, body, "application/json");
          }
        });
    http.start();
    System.err.println("stand-in upstream listening on 127.0.0.1:" + port);
  }
}
