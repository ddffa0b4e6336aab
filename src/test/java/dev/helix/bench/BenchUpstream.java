package dev.helix.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

/**
 * The upstream that {@link UpstreamClientBench} calls, as a process of its own so that the bench
 * JVM's CPU time is the clients' alone: {@code POST /v1/chat/completions} answers a chat completion
 * (JSON with a Content-Length) or, for a body with {@code "stream":true}, {@value #EVENTS}
 * server-sent events, each flushed on its own as an LLM sends them. Prints {@code listening PORT}
 * when ready.
 */
public final class BenchUpstream {
  /** Events per streamed answer, the last being {@code [DONE]}: about a sentence of tokens. */
  static final int EVENTS = 50;

  private static final byte[] COMPLETION =
      ("{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\","
              + "\"created\":1700000000,\"model\":\"stand-in\",\"choices\":[{\"index\":0,\"message\":{\"role\":"
              + "\"assistant\",\"content\":\""
              + "The bench measures the upstream client. ".repeat(8)
              + "\"},"
              + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":480,\"completion_tokens\":64,"
              + "\"total_tokens\":544}}")
          .getBytes(StandardCharsets.UTF_8);

  private BenchUpstream() {}

  public static void main(String[] args) throws Exception {
    // As StandInUpstream: without it the JDK server's Nagle delay, not the clients, sets the
    // latency.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    // The JDK server closes every idle keep-alive connection past its 200th, and the four clients
    // pool up to 4 x 128 between them: the clients waiting for their turn then found their pooled
    // connections closed (Apache: NoHttpResponseException, JDK: "header parser received no bytes",
    // thousands per phase in the first full run). No client should pay for another's pool.
    System.setProperty("sun.net.httpserver.maxIdleConnections", "2048");
    HttpServer http =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
    http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    http.createContext("/", BenchUpstream::handle);
    http.start();
    System.out.println("listening " + http.getAddress().getPort());
    System.out.flush();
    new CountDownLatch(1).await();
  }

  private static void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      if (!exchange.getRequestURI().getPath().equals("/v1/chat/completions")) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      if (new String(body, StandardCharsets.UTF_8).contains("\"stream\":true")) {
        stream(exchange);
        return;
      }
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, COMPLETION.length);
      exchange.getResponseBody().write(COMPLETION);
    }
  }

  private static void stream(HttpExchange exchange) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
    exchange.sendResponseHeaders(200, 0);
    OutputStream out = exchange.getResponseBody();
    for (int i = 0; i < EVENTS - 1; i++) {
      out.write(
          ("data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
                  + "\"model\":\"stand-in\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" token"
                  + i
                  + "\"},\"finish_reason\":null}]}\n\n")
              .getBytes(StandardCharsets.UTF_8));
      out.flush();
    }
    out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
  }
}
