package dev.helix.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.helix.testing.ChildJvm;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The local client against a real JDK HttpServer on a loopback port: every kind of reply. */
class LocalClientTest {
  private static final Duration SECONDS_5 = Duration.ofSeconds(5);

  private final ObjectMapper json = new ObjectMapper();
  private final LocalClient client = new LocalClient(Daemon.SERVER, json, Duration.ofSeconds(1));
  private final ScriptedDaemon daemon;

  LocalClientTest() throws IOException {
    daemon = new ScriptedDaemon();
  }

  @AfterEach
  void stop() {
    daemon.close();
  }

  @Test
  void aJsonAnswerIsOkAndTheBodyAndTokenWentOutAsJson() throws Exception {
    daemon.enqueue(200, "{\"verdict\":\"know\",\"chunks\":3}");

    Reply reply =
        client
            .withBearer("s3cret")
            .post(daemon.url("/context"), Map.of("query", "retries"), SECONDS_5);

    assertThat(reply)
        .isInstanceOfSatisfying(
            Reply.Ok.class,
            ok -> {
              assertThat(ok.status()).isEqualTo(200);
              assertThat(ok.json().path("chunks").asInt()).isEqualTo(3);
              assertThat(ok.body()).isEqualTo("{\"verdict\":\"know\",\"chunks\":3}");
            });
    ScriptedDaemon.Request request = daemon.takeRequest();
    assertThat(request.method() + " " + request.path()).isEqualTo("POST /context");
    assertThat(request.headers())
        .containsEntry("Authorization", "Bearer s3cret")
        .containsEntry("Content-Type", "application/json")
        .containsEntry("Accept", "application/json");
    assertThat(json.readTree(request.body())).isEqualTo(json.readTree("{\"query\":\"retries\"}"));
  }

  @Test
  void noTokenSendsNoAuthorizationAndAGetHasNoBody() throws Exception {
    daemon.enqueue(200, "{}");

    client.withBearer(null).withBearer("").get(daemon.url("/health"), SECONDS_5);

    ScriptedDaemon.Request request = daemon.takeRequest();
    assertThat(request.method()).isEqualTo("GET");
    assertThat(request.headers()).doesNotContainKeys("Authorization", "Content-Type");
    assertThat(request.body()).isEmpty();
  }

  @Test
  void aPostWithoutBodySendsNothingUntypedAndRawJsonGoesOutVerbatim() throws Exception {
    daemon.enqueue(200, "{}").enqueue(200, "{}");

    client
        .withHeader("X-Helix-Session", "t0k")
        .post(daemon.url("/admin/shutdown"), null, SECONDS_5);
    client.post(daemon.url("/context"), new RawValue("{\"query\" : 1.50}"), SECONDS_5);

    ScriptedDaemon.Request empty = daemon.takeRequest();
    assertThat(empty.method()).isEqualTo("POST");
    // Typed as nothing: the local guard refuses a body typed as anything but JSON.
    assertThat(empty.headers())
        .containsEntry("X-Helix-Session", "t0k")
        .doesNotContainKey("Content-Type");
    assertThat(empty.body()).isEmpty();
    assertThat(daemon.takeRequest().body()).isEqualTo("{\"query\" : 1.50}");
  }

  @Test
  void aRefusedPortIsNotRunningAndTheMessageSaysHowToStartIt() throws Exception {
    String url = "http://127.0.0.1:" + ChildJvm.freePort() + "/health";

    Reply reply = client.get(url, SECONDS_5);

    assertThat(reply).isInstanceOf(Reply.Refused.class);
    assertThat(reply.status()).isZero();
    Reply.Failure failure = (Reply.Failure) reply;
    assertThat(failure.detail()).isEqualTo("connection refused");
    assertThat(failure.message())
        .isEqualTo(
            "helix server at "
                + url
                + " is not running (connection refused): start it with ./helix up (or helix serve).");
  }

  /**
   * One answered call first: on a loaded two-core machine a cold JVM can spend the whole of a short
   * timeout loading the connection classes, which would then read as a connection not accepted.
   */
  private void warmUp() throws Exception {
    daemon.enqueue(200, "{}");
    assertThat(client.get(daemon.url("/warm-up"), SECONDS_5)).isInstanceOf(Reply.Ok.class);
    daemon.takeRequest();
  }

  @Test
  void anAnswerLaterThanTheTimeoutTimesOutOnTime() throws Exception {
    warmUp();
    daemon.enqueue(new ScriptedDaemon.Answer(200, "{}", Duration.ofSeconds(6), Duration.ZERO));

    long start = System.nanoTime();
    Reply reply = client.get(daemon.url("/stats"), Duration.ofMillis(1500));
    long tookMillis = (System.nanoTime() - start) / 1_000_000;

    assertThat(reply)
        .isInstanceOfSatisfying(Reply.TimedOut.class, t -> assertThat(t.connecting()).isFalse());
    assertThat(((Reply.Failure) reply).detail()).isEqualTo("no answer within 1.5 s");
    assertThat(((Reply.Failure) reply).message())
        .contains(daemon.url("/stats"))
        .contains("did not answer")
        .contains("check its log");
    assertThat(tookMillis).isBetween(1_400L, 5_000L);
  }

  @Test
  void aBodyThatTricklesInPastTheTimeoutTimesOutToo() throws Exception {
    warmUp();
    // Headers at once, the body later: only a bound on the whole exchange catches this one.
    daemon.enqueue(
        new ScriptedDaemon.Answer(200, "{\"messages\":[]}", Duration.ZERO, Duration.ofSeconds(8)));

    long start = System.nanoTime();
    Reply reply = client.post(daemon.url("/v1/compress"), Map.of(), Duration.ofMillis(1500));
    long tookMillis = (System.nanoTime() - start) / 1_000_000;

    assertThat(reply).isInstanceOf(Reply.TimedOut.class);
    assertThat(tookMillis).isLessThan(6_000L);
  }

  @Test
  void anErrorStatusCarriesTheDaemonsOwnMessage() throws Exception {
    daemon.enqueue(
        400,
        "{\"error\":{\"message\":\"query must not be empty\",\"type\":\"invalid_request_error\"}}");

    Reply reply = client.post(daemon.url("/context"), Map.of("query", ""), SECONDS_5);

    assertThat(reply)
        .isInstanceOfSatisfying(
            Reply.ErrorStatus.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.serverMessage()).isEqualTo("query must not be empty");
              assertThat(e.json()).isNotNull();
              assertThat(e.message())
                  .isEqualTo(
                      "helix server at "
                          + daemon.url("/context")
                          + " answered HTTP 400: query must not be empty: it refused the request; fix what it names, then try again.");
            });
  }

  @Test
  void anErrorStatusWithATextBodyQuotesTheBody() throws Exception {
    daemon.enqueue(502, "<html>\n  bad gateway\n</html>");

    Reply reply = client.get(daemon.url("/stats"), SECONDS_5);

    assertThat(reply)
        .isInstanceOfSatisfying(
            Reply.ErrorStatus.class,
            e -> {
              assertThat(e.json()).isNull();
              assertThat(e.serverMessage()).isEqualTo("<html> bad gateway </html>");
              assertThat(e.message()).contains("answered HTTP 502").contains("check its log");
            });
  }

  @Test
  void aSuccessThatIsNotJsonIsABadAnswerFromAnotherProgram() throws Exception {
    daemon.enqueue(200, "<html>hello</html>");

    Reply reply = client.get(daemon.url("/health"), SECONDS_5);

    assertThat(reply)
        .isInstanceOfSatisfying(
            Reply.BadAnswer.class,
            b -> {
              assertThat(b.status()).isEqualTo(200);
              assertThat(b.body()).isEqualTo("<html>hello</html>");
              assertThat(b.detail()).isEqualTo("a body that is not JSON");
              assertThat(b.message())
                  .isEqualTo(
                      "helix server at "
                          + daemon.url("/health")
                          + " answered 200 with a body that is"
                          + " not JSON (<html>hello</html>): another program may own that port; check the address, or start it with"
                          + " ./helix up (or helix serve).");
            });
  }

  @Test
  void anEmptySuccessIsABadAnswer() throws Exception {
    daemon.enqueue(200, "");

    Reply reply = client.get(daemon.url("/health"), SECONDS_5);

    assertThat(reply)
        .isInstanceOfSatisfying(
            Reply.BadAnswer.class, b -> assertThat(b.detail()).isEqualTo("an empty body"));
  }

  @Test
  void aConnectionClosedWithoutAnAnswerIsABrokenCall() throws Exception {
    try (ServerSocket hangUp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      // Every connection, since HttpURLConnection tries a GET a second time on a fresh one.
      Thread.ofVirtual()
          .start(
              () -> {
                while (!hangUp.isClosed()) {
                  try (Socket s = hangUp.accept()) {
                    s.getInputStream().read();
                  } catch (IOException e) {
                    // The test's end closed the listening socket: nothing more to do.
                  }
                }
              });
      String url = "http://127.0.0.1:" + hangUp.getLocalPort() + "/health";

      Reply reply = client.get(url, SECONDS_5);

      assertThat(reply)
          .isInstanceOfSatisfying(
              Reply.BadAnswer.class,
              b -> {
                assertThat(b.status()).isZero();
                assertThat(b.message())
                    .startsWith("the call to helix server at " + url + " broke (");
              });
    }
  }

  @Test
  void asynchronousGetsRunTogether() throws Exception {
    warmUp();
    Duration second = Duration.ofSeconds(2);
    daemon
        .enqueue(new ScriptedDaemon.Answer(200, "{\"n\":1}", second, Duration.ZERO))
        .enqueue(new ScriptedDaemon.Answer(200, "{\"n\":2}", second, Duration.ZERO));

    long start = System.nanoTime();
    CompletableFuture<Reply> a = client.getAsync(daemon.url("/a"), SECONDS_5);
    CompletableFuture<Reply> b = client.getAsync(daemon.url("/b"), SECONDS_5);
    assertThat(a.join()).isInstanceOf(Reply.Ok.class);
    assertThat(b.join()).isInstanceOf(Reply.Ok.class);

    // One after the other would take 4 s.
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(3_900L);
  }

  @Test
  void anInterruptedCallerStopsWaiting() throws Exception {
    daemon.enqueue(new ScriptedDaemon.Answer(200, "{}", Duration.ofSeconds(5), Duration.ZERO));
    CompletableFuture<Throwable> thrown = new CompletableFuture<>();
    Thread caller =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    client.get(daemon.url("/slow"), Duration.ofSeconds(10));
                    thrown.complete(null);
                  } catch (Throwable t) {
                    thrown.complete(t);
                  }
                });
    daemon.takeRequest();

    caller.interrupt();

    assertThat(thrown.get(2, java.util.concurrent.TimeUnit.SECONDS))
        .isInstanceOf(InterruptedException.class);
  }

  @Test
  void aHeaderThatWouldBeDroppedSilentlyIsRefusedAtOnce() {
    assertThatThrownBy(() -> client.withHeader("Sec-Fetch-Site", "cross-site"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'Sec-Fetch-Site'");
    assertThatThrownBy(() -> client.withHeader("Origin", "http://evil.example"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'Origin'");
  }

  @Test
  void aUrlThatIsNotHttpIsRefusedBeforeAnyCall() {
    assertThatThrownBy(() -> client.get("ftp://127.0.0.1:1/health", SECONDS_5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'ftp://127.0.0.1:1/health'")
        .hasMessageContaining("http://HOST:PORT");
  }
}
