package dev.helix.http;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in daemon on a free loopback port (after okhttp's MockWebServer): answers the queued
 * answers in order, each after its delays, and records the requests.
 */
final class ScriptedDaemon implements AutoCloseable {
  /**
   * @param beforeHeaders how long to wait before the status line
   * @param beforeBody how long to wait between the headers and the body
   */
  record Answer(int status, String body, Duration beforeHeaders, Duration beforeBody) {}

  record Request(String method, String path, Map<String, String> headers, String body) {}

  private final HttpServer http;
  private final BlockingQueue<Answer> answers = new LinkedBlockingQueue<>();
  private final BlockingQueue<Request> requests = new LinkedBlockingQueue<>();

  ScriptedDaemon() throws IOException {
    http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    // Parallel requests in one test (getAsync) each need a thread of their own.
    http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    http.createContext(
        "/",
        exchange -> {
          try (exchange) {
            Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
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
                      "{\"error\":{\"message\":\"no answer queued\"}}",
                      Duration.ZERO,
                      Duration.ZERO);
            }
            Thread.sleep(answer.beforeHeaders());
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.flush();
              Thread.sleep(answer.beforeBody());
              out.write(bytes);
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } catch (IOException e) {
            // The client hung up (a test of its timeout): nothing to answer any more.
          }
        });
    http.start();
  }

  String url(String path) {
    return "http://127.0.0.1:" + http.getAddress().getPort() + path;
  }

  ScriptedDaemon enqueue(int status, String body) {
    return enqueue(new Answer(status, body, Duration.ZERO, Duration.ZERO));
  }

  ScriptedDaemon enqueue(Answer answer) {
    answers.add(answer);
    return this;
  }

  Request takeRequest() throws InterruptedException {
    Request r = requests.poll(5, TimeUnit.SECONDS);
    if (r == null) {
      throw new AssertionError("the scripted daemon received no request within 5 s");
    }
    return r;
  }

  @Override
  public void close() {
    http.stop(0);
  }
}
