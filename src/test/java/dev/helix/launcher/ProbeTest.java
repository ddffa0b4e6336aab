package dev.helix.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.helix.http.LocalGuard;
import dev.helix.testing.ChildJvm;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The launcher's probes against a stand-in child on loopback that runs the daemons' real local
 * guard, so what the probes send is what a real server would let through.
 */
class ProbeTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final Probe probe = new Probe(new ObjectMapper());
  private final HttpServer child;

  ProbeTest() throws IOException {
    child = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    LocalGuard guard = new LocalGuard("127.0.0.1", List.of());
    child.createContext(
        "/",
        exchange -> {
          try (exchange) {
            byte[] in = exchange.getRequestBody().readAllBytes();
            var rejection =
                guard.check(
                    exchange.getRequestMethod(),
                    exchange.getRequestHeaders(),
                    in.length > 0,
                    child.getAddress().getPort());
            String body =
                rejection
                    .map(
                        r -> "{\"error\":{\"message\":\"" + r.message().replace("\"", "'") + "\"}}")
                    .orElse(
                        exchange.getRequestURI().getPath().equals("/health")
                            ? "{\"service\":\"helix\",\"pid\":4242}"
                            : "{\"ok\":true,\"got\":\""
                                + new String(in, StandardCharsets.UTF_8).replace("\"", "'")
                                + "\"}");
            byte[] out = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(
                rejection.map(LocalGuard.Rejection::status).orElse(200), out.length);
            try (OutputStream o = exchange.getResponseBody()) {
              o.write(out);
            }
          }
        });
    child.start();
  }

  @AfterEach
  void stop() {
    child.stop(0);
  }

  private String base() {
    return "http://127.0.0.1:" + child.getAddress().getPort();
  }

  @Test
  void aShutdownWithoutABodyPassesTheDaemonsLocalGuard() {
    // HttpURLConnection types an empty POST as a form unless told otherwise: the guard answers 415.
    Optional<Probe.Reply> reply =
        probe.post(
            base() + "/admin/shutdown",
            TIMEOUT,
            Map.of("Authorization", "Bearer server-secret"),
            null);

    assertThat(reply).hasValueSatisfying(r -> assertThat(r.status()).as(r.body()).isEqualTo(200));
  }

  @Test
  void aJsonBodyGoesOutAsItWasGiven() {
    Optional<Probe.Reply> reply =
        probe.post(base() + "/api/control/shutdown", TIMEOUT, Map.of(), "{\"force\": true}");

    assertThat(reply)
        .hasValueSatisfying(
            r -> {
              assertThat(r.success()).isTrue();
              assertThat(r.body()).contains("{'force': true}");
            });
  }

  @Test
  void anErrorStatusIsStillAnAnswer() {
    Optional<Probe.Reply> reply =
        probe.post(base() + "/context", TIMEOUT, Map.of("Content-Type", "text/plain"), null);

    assertThat(reply)
        .hasValueSatisfying(
            r -> {
              assertThat(r.status()).isEqualTo(415);
              assertThat(r.success()).isFalse();
              assertThat(r.body()).contains("must be application/json, but was 'text/plain'");
            });
  }

  @Test
  void helixAnsweringGivesItsPidAndNothingListeningGivesNoAnswer() throws Exception {
    String nobody = "http://127.0.0.1:" + ChildJvm.freePort();

    assertThat(probe.helixPid(base(), TIMEOUT)).contains(4242L);
    assertThat(probe.get(nobody + "/health", TIMEOUT, null)).isEmpty();
    assertThat(probe.helixPid(nobody, TIMEOUT)).isEmpty();
  }
}
