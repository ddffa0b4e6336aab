package dev.helix.mcp;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in helix server on a loopback port (in the spirit of okhttp's MockWebServer): answers
 * queued responses in order and records what it was asked.
 */
final class StubServer implements AutoCloseable {
  record Answer(int status, String body, Duration delay) {}

  record Request(String method, String path, Map<String, String> headers, String body) {}

  private final HttpServer http;
  private final BlockingQueue<Answer> answers = new LinkedBlockingQueue<>();
  private final BlockingQueue<Request> requests = new LinkedBlockingQueue<>();

  StubServer() throws IOException {
    http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    http.createContext(
        "/",
        exchange -> {
          try (exchange) {
            var headers = new java.util.TreeMap<String, String>(String.CASE_INSENSITIVE_ORDER);
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, String.join(",", v)));
            requests.add(
                new Request(
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().getPath(),
                    headers,
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            Answer answer = answers.poll();
            if (answer == null) {
              answer =
                  new Answer(
                      500,
                      "{\"error\":{\"message\":\"the stub has no answer queued\"}}",
                      Duration.ZERO);
            }
            Thread.sleep(answer.delay());
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(bytes);
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    http.start();
  }

  String url() {
    return "http://127.0.0.1:" + http.getAddress().getPort();
  }

  StubServer enqueue(int status, String body) {
    return enqueue(status, body, Duration.ZERO);
  }

  StubServer enqueue(int status, String body, Duration delay) {
    answers.add(new Answer(status, body, delay));
    return this;
  }

  Request takeRequest() throws InterruptedException {
    Request request = requests.poll(10, TimeUnit.SECONDS);
    if (request == null) {
      throw new AssertionError("the stub server got no request within 10 s");
    }
    return request;
  }

  int requestCount() {
    return requests.size();
  }

  @Override
  public void close() {
    http.stop(0);
  }
}
