package dev.helix.proxy;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helix.config.ConfigLoader;
import dev.helix.config.HelixConfig;
import dev.helix.context.Verdict;
import dev.helix.http.JsonResponses;
import dev.helix.testing.MemoryExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Fuzz target for the event-stream relay, in-process: whatever bytes an upstream sends, cut into
 * whatever pieces the network makes of them, reach the client byte for byte; when the upstream
 * breaks off after them, the client gets exactly those bytes, then the event the upstream left
 * half-written closed, then one {@code data: {"error": …}} event, and a clean end.
 */
class EventRelayFuzzTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final URI TARGET = URI.create("http://127.0.0.1:9/v1/chat/completions");
  private static final byte[] CRLF = {'\r', '\n'};
  private static final UpstreamClient CLIENT =
      new UpstreamClient(Duration.ofSeconds(10), UpstreamClient.defaultTls(), Clock.systemUTC());
  private static Relay.Setup setup;

  private static synchronized Relay.Setup setup() throws Exception {
    if (setup == null) {
      Path dir = Files.createTempDirectory("helix-relay-fuzz");
      Path toml =
          Files.writeString(
              dir.resolve("helix.toml"), "[server]\nupstream = \"http://127.0.0.1:9/v1\"\n");
      HelixConfig config = new ConfigLoader(Map.of(), dir, dir).load(toml).config();
      setup =
          new Relay.Setup(
              UpstreamUrl.parse(config.server().upstream()),
              config.server().targetApiUrl(),
              config.server().upstreamTimeout(),
              new ChatProxy.Listener() {
                @Override
                public void retrieved(Verdict verdict, long latencyMs) {}

                @Override
                public void upstreamFailed(String kind) {}
              },
              new JsonResponses(JSON),
              JSON);
    }
    return setup;
  }

  @FuzzTest
  void anyEventBytesInAnyPiecesAreRelayedWholeAndABreakEndsWithOneErrorEvent(
      FuzzedDataProvider data) throws Exception {
    boolean breaks = data.consumeBoolean();
    int pieces = data.consumeInt(0, 30);
    List<byte[]> chunks = new ArrayList<>();
    ByteArrayOutputStream sent = new ByteArrayOutputStream();
    for (int i = 0; i < pieces && data.remainingBytes() > 0; i++) {
      chunks.add(data.consumeBytes(data.consumeInt(0, 300)));
    }
    chunks.add(data.consumeRemainingAsBytes());
    chunks.forEach(sent::writeBytes);
    byte[] upstream = sent.toByteArray();

    MemoryExchange exchange = new MemoryExchange("POST", "/v1/chat/completions", new byte[0]);
    try (UpstreamResponse response = eventStream(chunks, breaks)) {
      new Relay(exchange, response, TARGET, setup()).events();
    }

    byte[] relayed = exchange.body();
    check(exchange.status() == 200, "status " + exchange.status());
    if (!breaks) {
      check(Arrays.equals(relayed, upstream), "relayed bytes differ from what the upstream sent");
      return;
    }
    check(
        relayed.length > upstream.length
            && Arrays.equals(relayed, 0, upstream.length, upstream, 0, upstream.length),
        "the upstream's bytes come first, whole");
    String added =
        new String(
            relayed, upstream.length, relayed.length - upstream.length, StandardCharsets.UTF_8);
    // Seen from the start of the stream (an event boundary), does the upstream end at a boundary?
    String seen =
        "\n\n"
            + new String(
                upstream,
                Math.max(0, upstream.length - 2),
                Math.min(2, upstream.length),
                StandardCharsets.ISO_8859_1);
    boolean closed = seen.endsWith("\n\n");
    String event = closed ? added : added.substring(2);
    check(
        closed || added.startsWith("\n\n"),
        "a half-written event is closed before the error: " + added);
    check(
        event.startsWith("data: ")
            && event.endsWith("\n\n")
            && event.indexOf("\n\n") == event.length() - 2,
        "exactly one error event: " + added);
    JsonNode error = JSON.readTree(event.substring("data: ".length())).path("error");
    check(error.path("code").asText().equals("upstream_stream_broken"), "error code of " + event);
    check(
        error.path("message").asText().contains("127.0.0.1:9"),
        "the message names the upstream: " + event);
  }

  /**
   * An upstream on loopback that answers one request with a chunked event stream, a chunk per piece
   * (as the network would cut it), and then either ends it properly or drops the connection.
   */
  private static UpstreamResponse eventStream(List<byte[]> pieces, boolean breaks)
      throws IOException {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread.ofVirtual()
          .start(
              () -> {
                try (Socket socket = server.accept()) {
                  InputStream in = socket.getInputStream();
                  for (int ends = 0;
                      ends < 4; ) { // the request head ends with CR LF CR LF; its body is not read
                    int b = in.read();
                    ends = b == -1 ? 4 : (b == '\r' || b == '\n') ? ends + 1 : 0;
                  }
                  OutputStream out = socket.getOutputStream();
                  out.write(
                      ("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n"
                              + "Connection: close\r\n\r\n")
                          .getBytes(StandardCharsets.ISO_8859_1));
                  for (byte[] piece : pieces) {
                    if (piece.length > 0) { // an empty chunk would end the body
                      out.write(
                          (Integer.toHexString(piece.length) + "\r\n")
                              .getBytes(StandardCharsets.ISO_8859_1));
                      out.write(piece);
                      out.write(CRLF);
                    }
                    out.flush();
                  }
                  if (!breaks) {
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                  }
                  out.flush();
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
      URI uri = URI.create("http://127.0.0.1:" + server.getLocalPort() + "/v1/chat/completions");
      // Returned before the upstream has written everything: the relay reads while it writes.
      return CLIENT.send("POST", uri, List.of(), new byte[] {'{', '}'}, Duration.ofSeconds(10));
    }
  }

  /** Plain checks: an assertion library's formatting would cost more than the target itself. */
  private static void check(boolean condition, String what) {
    if (!condition) {
      throw new AssertionError(what);
    }
  }
}
