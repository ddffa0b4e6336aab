package dev.helix.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Fuzz targets for a running {@link HelixServer} over loopback, on a store that answers every
 * query alike ({@link FixedContextService}) and a fuzzed upstream in this JVM: any body of
 * {@code /context}, {@code /context/packet}, {@code /ingest} or a chat gets an answer that is not a
 * 500 (400/413/415 name the problem; a chat may pass on to the upstream), and any event-stream bytes
 * the upstream sends are relayed byte for byte. The server, its store and the upstream are started
 * once per JVM: fuzzing makes hundreds of calls a second.
 */
class RequestBodyFuzzTest {
  private static final List<String> ROUTES = List.of("/context", "/context/packet", "/ingest", "/v1/chat/completions");
  private static final String[] PIECES = {"{", "}", "[", "]", "\"query\":", "\"paths\":", "\"content\":",
      "\"content_type\":", "\"messages\":", "\"role\":\"user\",", "\"content\":\"hi\"", "\"stream\":true,",
      "\"max_chunks\":", "\"max_tokens\":", "\"task\":", "\"source\":", "null", "true", "1e999", "-1", "0",
      "\"x\"", ",", ":", "\"\\u0000\"", "\"\\ud800\"", "9999999999999999999999", "\"code\"", "\"/\"", "\"..\""};

  private static ServerFixture helix;
  private static volatile byte[] upstreamEvents = new byte[0];

  private static synchronized ServerFixture helix() throws Exception {
    if (helix == null) {
      HttpServer upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
      upstream.createContext("/", exchange -> {
        exchange.getRequestBody().readAllBytes();
        byte[] body = upstreamEvents;
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      });
      upstream.start();
      Path dir = Files.createTempDirectory("helix-body-fuzz");
      helix = ServerFixture.start(dir, "http://127.0.0.1:" + upstream.getAddress().getPort(),
          "max_body_bytes = 4000\nupstream_timeout = 5\n", Map.of(), FixedContextService.noMatch());
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
    upstreamEvents = "data: [DONE]\n\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    HttpResponse<String> response = helix().post(route, body);
    assertThat(response.statusCode()).as("%s with body %s: %s", route, body, response.body()).isNotEqualTo(500);
    if (response.statusCode() >= 400 && response.statusCode() != 502 && response.statusCode() != 504) {
      assertThat(response.statusCode()).as("%s with body %s", route, body).isIn(400, 404, 413, 415, 422);
      assertThat(response.body()).contains("\"error\"").contains("\"message\"");
    }
  }

  @FuzzTest
  void anyEventStreamFromTheUpstreamIsRelayedByteForByte(byte[] events) throws Exception {
    upstreamEvents = events;
    HttpResponse<byte[]> response = helix().client.send(HttpRequest.newBuilder(URI.create(helix().url()
            + "/v1/chat/completions")).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(
                "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(events);
  }
}
