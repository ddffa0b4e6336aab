package dev.helix.proxy;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helix.config.ConfigLoader;
import dev.helix.config.HelixConfig;
import dev.helix.context.ContextService;
import dev.helix.context.Verdict;
import dev.helix.testing.MemoryExchange;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Flow;
import javax.net.ssl.SSLSession;

/**
 * Fuzz target for the event-stream relay, in-process: whatever bytes an upstream sends, cut into
 * whatever pieces the network makes of them, reach the client byte for byte; when the upstream
 * breaks off after them, the client gets exactly those bytes, then the event the upstream left
 * half-written closed, then one {@code data: {"error": …}} event, and a clean end.
 */
class EventRelayFuzzTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final URI TARGET = URI.create("http://127.0.0.1:9/v1/chat/completions");
  private static ChatProxy proxy;

  private static synchronized ChatProxy proxy() throws Exception {
    if (proxy == null) {
      Path dir = Files.createTempDirectory("helix-relay-fuzz");
      Path toml = Files.writeString(dir.resolve("helix.toml"), "[server]\nupstream = \"http://127.0.0.1:9/v1\"\n");
      HelixConfig config = new ConfigLoader(Map.of(), dir, dir).load(toml).config();
      ContextService none = (ContextService) java.lang.reflect.Proxy.newProxyInstance(
          EventRelayFuzzTest.class.getClassLoader(), new Class<?>[] {ContextService.class}, (p, m, a) -> {
            throw new UnsupportedOperationException("the relay never asks the store");
          });
      proxy = new ChatProxy(config, none, new ChatProxy.Listener() {
        @Override
        public void retrieved(Verdict verdict, long latencyMs) {}

        @Override
        public void upstreamFailed(String kind) {}
      }, JSON);
    }
    return proxy;
  }

  @FuzzTest
  void anyEventBytesInAnyPiecesAreRelayedWholeAndABreakEndsWithOneErrorEvent(FuzzedDataProvider data) throws Exception {
    boolean breaks = data.consumeBoolean();
    int pieces = data.consumeInt(0, 30);
    BodyStream body = new BodyStream();
    body.onSubscribe(new Flow.Subscription() {
      @Override
      public void request(long n) {}

      @Override
      public void cancel() {}
    });
    java.io.ByteArrayOutputStream sent = new java.io.ByteArrayOutputStream();
    for (int i = 0; i < pieces && data.remainingBytes() > 0; i++) {
      byte[] piece = data.consumeBytes(data.consumeInt(0, 300));
      sent.writeBytes(piece);
      body.onNext(List.of(ByteBuffer.wrap(piece)));
    }
    byte[] rest = data.consumeRemainingAsBytes();
    sent.writeBytes(rest);
    body.onNext(List.of(ByteBuffer.wrap(rest)));
    if (breaks) {
      body.onError(new IOException("connection reset"));
    } else {
      body.onComplete();
    }
    byte[] upstream = sent.toByteArray();

    MemoryExchange exchange = new MemoryExchange("POST", "/v1/chat/completions", new byte[0]);
    new Relay(exchange, new EventStreamResponse(), body, TARGET, proxy()).events();

    byte[] relayed = exchange.body();
    check(exchange.status() == 200, "status " + exchange.status());
    if (!breaks) {
      check(Arrays.equals(relayed, upstream), "relayed bytes differ from what the upstream sent");
      return;
    }
    check(relayed.length > upstream.length && Arrays.equals(relayed, 0, upstream.length, upstream, 0, upstream.length),
        "the upstream's bytes come first, whole");
    String added = new String(relayed, upstream.length, relayed.length - upstream.length, StandardCharsets.UTF_8);
    // Seen from the start of the stream (an event boundary), does the upstream end at a boundary?
    String seen = "\n\n" + new String(upstream, Math.max(0, upstream.length - 2), Math.min(2, upstream.length),
        StandardCharsets.ISO_8859_1);
    boolean closed = seen.endsWith("\n\n");
    String event = closed ? added : added.substring(2);
    check(closed || added.startsWith("\n\n"), "a half-written event is closed before the error: " + added);
    check(event.startsWith("data: ") && event.endsWith("\n\n") && event.indexOf("\n\n") == event.length() - 2,
        "exactly one error event: " + added);
    JsonNode error = JSON.readTree(event.substring("data: ".length())).path("error");
    check(error.path("code").asText().equals("upstream_stream_broken"), "error code of " + event);
    check(error.path("message").asText().contains("127.0.0.1:9"), "the message names the upstream: " + event);
  }

  /** Plain checks: an assertion library's formatting would cost more than the target itself. */
  private static void check(boolean condition, String what) {
    if (!condition) {
      throw new AssertionError(what);
    }
  }

  /** The headers of an upstream's 200 event stream; the body comes through the {@link BodyStream}. */
  private static final class EventStreamResponse implements HttpResponse<Object> {
    @Override
    public int statusCode() {
      return 200;
    }

    @Override
    public HttpRequest request() {
      return HttpRequest.newBuilder(TARGET).build();
    }

    @Override
    public Optional<HttpResponse<Object>> previousResponse() {
      return Optional.empty();
    }

    @Override
    public HttpHeaders headers() {
      return HttpHeaders.of(Map.of("content-type", List.of("text/event-stream")), (name, value) -> true);
    }

    @Override
    public Object body() {
      return new Object();
    }

    @Override
    public Optional<SSLSession> sslSession() {
      return Optional.empty();
    }

    @Override
    public URI uri() {
      return TARGET;
    }

    @Override
    public HttpClient.Version version() {
      return HttpClient.Version.HTTP_1_1;
    }
  }
}
