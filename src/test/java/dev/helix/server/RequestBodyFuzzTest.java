package dev.helix.server;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.sun.net.httpserver.HttpServer;
import dev.helix.testing.MemoryExchange;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Fuzz target for the request bodies of a {@link HelixServer}, called in-process (its handler, not
 * its socket: thousands of inputs a second) on a store that answers every query alike ({@link
 * FixedContextService}): any body of {@code /context}, {@code /context/packet}, {@code /ingest} or
 * a chat gets an answer that is not a 500 (400/413/415/422 name the problem; a well-formed chat
 * passes on to a loopback upstream in this JVM). The loopback path itself, and the byte-for-byte
 * event relay, are covered by {@code ProxyRouteTest} and the proxy's own fuzz target.
 */
class RequestBodyFuzzTest {
  private static final List<String> ROUTES =
      List.of("/context", "/context/packet", "/ingest", "/v1/chat/completions");
  private static final String[] PIECES = {
    "{",
    "}",
    "[",
    "]",
    "\"query\":",
    "\"paths\":",
    "\"content\":",
    "\"content_type\":",
    "\"messages\":",
    "\"role\":\"user\",",
    "\"content\":\"hi\"",
    "\"stream\":true,",
    "\"max_chunks\":",
    "\"max_tokens\":",
    "\"task\":",
    "\"source\":",
    "null",
    "true",
    "1e999",
    "-1",
    "0",
    "\"x\"",
    ",",
    ":",
    "\"\\u0000\"",
    "\"\\ud800\"",
    "9999999999999999999999",
    "\"code\"",
    "\"/\"",
    "\"..\""
  };

  private static ServerFixture helix;

  private static synchronized ServerFixture helix() throws Exception {
    if (helix == null) {
      // Without TCP_NODELAY, the upstream's body waits for a delayed ACK (40 ms) behind its
      // headers.
      System.setProperty("sun.net.httpserver.nodelay", "true");
      HttpServer upstream =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
      upstream.createContext(
          "/",
          exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] body = "data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          });
      upstream.start();
      Path dir = Files.createTempDirectory("helix-body-fuzz");
      helix =
          ServerFixture.start(
              dir,
              "http://127.0.0.1:" + upstream.getAddress().getPort(),
              "max_body_bytes = 4000\nupstream_timeout = 5\n",
              Map.of(),
              FixedContextService.noMatch());
    }
    return helix;
  }

  @FuzzTest
  void anyRequestBodyIsAnsweredWithoutA500(FuzzedDataProvider data) throws Exception {
    String route = data.pickValue(ROUTES);
    String body;
    if (data.consumeBoolean()) {
      StringBuilder b = new StringBuilder();
      for (int n = data.consumeInt(0, 40); n > 0; n--) {
        b.append(data.consumeBoolean() ? data.pickValue(PIECES) : data.consumeString(8));
      }
      body = b.toString();
    } else {
      body = data.consumeRemainingAsString();
    }
    ServerFixture fixture = helix();
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    MemoryExchange exchange =
        new MemoryExchange(
            "POST",
            route,
            bytes,
            "Host: 127.0.0.1:" + fixture.server.port(),
            "Content-Type: application/json",
            "Content-Length: " + bytes.length);
    fixture.server.handler().handle(exchange);

    int status = exchange.status();
    if (status == 500 || status == -1) {
      throw new AssertionError(
          route + " with body " + body + " answered " + status + ": " + exchange.bodyText());
    }
    if (status >= 400 && status != 502 && status != 504) {
      String answer = exchange.bodyText();
      if (!List.of(400, 404, 413, 415, 422).contains(status)
          || !answer.contains("\"error\"")
          || !answer.contains("\"message\"")) {
        throw new AssertionError(
            route + " with body " + body + " answered " + status + " out of shape: " + answer);
      }
    }
  }
}
