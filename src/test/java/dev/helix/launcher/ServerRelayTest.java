package dev.helix.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The question box's relay against a stand-in helix in this JVM (adopted, as a helix already on the
 * port would be): what it forwards, with which token, and how the server's answers come back.
 */
class ServerRelayTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One request the stand-in received. */
  record Received(String method, String uri, String authorization, String body) {}

  @TempDir Path dir;
  HttpServer helix;
  ScheduledExecutorService scheduler;
  ServerRelay relay;
  final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
  volatile int status = 200;
  volatile String reply = "{\"verdict\": \"know\"}";

  @BeforeEach
  void start() throws Exception {
    helix = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    helix.createContext("/", this::answer);
    helix.start();
    scheduler = Executors.newSingleThreadScheduledExecutor();
    Probe probe = new Probe(JSON);
    ServerChild server =
        new ServerChild(
            new ServerChild.Settings(
                "127.0.0.1",
                helix.getAddress().getPort(),
                List.of("unused"),
                Map.of(),
                dir.resolve("server.log"),
                Duration.ofSeconds(5),
                "server-secret"),
            probe,
            new ChildSpec.Parts(
                Clock.systemUTC(), Scheduler.on(scheduler), Spawner.os(), () -> {}));
    assertThat(server.supervisor().start().message()).contains("adopted");
    relay = new ServerRelay(server, probe, JSON);
  }

  @AfterEach
  void stop() {
    helix.stop(0);
    scheduler.shutdownNow();
  }

  private void answer(HttpExchange exchange) throws IOException {
    try (exchange) {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String path = exchange.getRequestURI().getPath();
      boolean health = path.equals("/health");
      if (!health) {
        received.add(
            new Received(
                exchange.getRequestMethod(),
                exchange.getRequestURI().getRawPath()
                    + (exchange.getRequestURI().getRawQuery() == null
                        ? ""
                        : "?" + exchange.getRequestURI().getRawQuery()),
                String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")),
                body));
      }
      byte[] out =
          (health
                  ? "{\"service\": \"helix\", \"pid\": " + ProcessHandle.current().pid() + "}"
                  : reply)
              .getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(health ? 200 : status, out.length);
      try (OutputStream o = exchange.getResponseBody()) {
        o.write(out);
      }
    }
  }

  private Received taken() throws InterruptedException {
    Received r = received.poll(5, TimeUnit.SECONDS);
    assertThat(r).as("the stand-in helix received no request").isNotNull();
    return r;
  }

  @Test
  void aQuestionReachesTheServersContextRouteWithItsTokenAndAsksForTheInjectedBlock()
      throws Exception {
    ServerRelay.Answer answer =
        relay.context("{\"query\": \"how are sessions expired?\", \"roots\": [\"api\"]}");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(JSON.valueToTree(answer.body()).path("verdict").asText()).isEqualTo("know");
    Received r = taken();
    assertThat(r.method()).isEqualTo("POST");
    assertThat(r.uri()).isEqualTo("/context");
    assertThat(r.authorization()).isEqualTo("Bearer server-secret");
    JsonNode sent = JSON.readTree(r.body());
    assertThat(sent.path("query").asText()).isEqualTo("how are sessions expired?");
    assertThat(sent.path("roots").get(0).asText()).isEqualTo("api");
    assertThat(sent.path("injection").asBoolean()).isTrue();
  }

  @Test
  void onlyPathStartAndEndReachTheServersSourceRoute() throws Exception {
    reply = "{\"path\": \"/src/A.java\", \"start\": 2, \"end\": 3, \"text\": \"b\\nc\"}";
    ServerRelay.Answer answer =
        relay.source(
            Map.of("path", "/src/my file&x=1.java", "start", "2", "end", "3", "admin", "shutdown"));

    assertThat(answer.status()).isEqualTo(200);
    Received r = taken();
    assertThat(r.method()).isEqualTo("GET");
    assertThat(r.uri()).isEqualTo("/source?path=%2Fsrc%2Fmy+file%26x%3D1.java&start=2&end=3");
    assertThat(r.authorization()).isEqualTo("Bearer server-secret");
  }

  @Test
  void theServersRefusalComesBackWithItsStatusAndItsOwnMessage() {
    status = 400;
    reply =
        "{\"error\": {\"message\": \"there is no root named 'nope'; known roots: api, web\", \"type\":"
            + " \"invalid_request_error\", \"param\": \"roots\", \"code\": \"unknown_root\"}}";
    ServerRelay.Answer answer = relay.context("{\"query\": \"rate\", \"roots\": [\"nope\"]}");

    assertThat(answer.status()).isEqualTo(400);
    JsonNode body = JSON.valueToTree(answer.body());
    assertThat(body.path("ok").asBoolean(true)).isFalse();
    assertThat(body.path("message").asText())
        .isEqualTo("there is no root named 'nope'; known roots: api, web");
    assertThat(body.path("error").path("code").asText()).isEqualTo("unknown_root");
  }

  @Test
  void anAnswerThatIsNotTheServersJsonIsQuotedWithItsStatus() {
    status = 500;
    reply = "<html>proxy error</html>";
    ServerRelay.Answer answer = relay.context("{\"query\": \"rate\"}");

    assertThat(answer.status()).isEqualTo(500);
    assertThat(JSON.valueToTree(answer.body()).path("message").asText())
        .isEqualTo("the helix server answered HTTP 500: '<html>proxy error</html>'");
  }

  @Test
  void aServerThatStoppedAnsweringIsA503NamingItsLog() {
    helix.stop(0);
    ServerRelay.Answer answer = relay.context("{\"query\": \"rate\"}");

    assertThat(answer.status()).isEqualTo(503);
    assertThat(JSON.valueToTree(answer.body()).path("message").asText())
        .contains("did not answer")
        .contains(dir.resolve("server.log").toString());
  }
}
