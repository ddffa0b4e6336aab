package dev.helix.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.helix.config.ConfigLoader;
import dev.helix.config.HelixConfig;
import dev.helix.testing.ChildJvm;
import dev.helix.text.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI's way to a running server, against a stand-in helix on loopback: what the user reads for
 * each answer.
 */
class ServerClientTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  /** One scripted answer to the next request that is not /health. */
  record Answer(int status, String body, Duration delay) {}

  @TempDir Path dir;
  HttpServer helix;
  final BlockingQueue<Answer> answers = new LinkedBlockingQueue<>();
  final BlockingQueue<String> authorizations = new LinkedBlockingQueue<>();

  @BeforeEach
  void start() throws IOException {
    helix = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    helix.createContext(
        "/",
        exchange -> {
          try (exchange) {
            boolean health = exchange.getRequestURI().getPath().equals("/health");
            Answer answer =
                health ? new Answer(200, "{\"service\":\"helix\"}", Duration.ZERO) : answers.poll();
            if (!health) {
              authorizations.add(
                  String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            }
            Thread.sleep(answer.delay());
            byte[] out = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer.status(), out.length);
            try (OutputStream o = exchange.getResponseBody()) {
              o.write(out);
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } catch (IOException e) {
            // The client gave up waiting (the timeout case): nothing left to answer.
          }
        });
    helix.start();
  }

  @AfterEach
  void stop() {
    helix.stop(0);
  }

  private ServerClient find(int port, String token) throws Exception {
    Path home = Files.createDirectories(dir.resolve("home"));
    Path toml = dir.resolve("helix.toml");
    Files.writeString(
        toml,
        "[server]\nport = %d\ntoken = \"%s\"\n[launcher]\nport = %d\n[store]\npath = \"%s\"\n"
            .formatted(port, token, ChildJvm.freePort(), dir.resolve("store")));
    HelixConfig config =
        new ConfigLoader(Map.of("HELIX_HOME", home.toString()), dir, home).load(toml).config();
    return ServerClient.find(config, Json.mapper())
        .orElseThrow(() -> new AssertionError("the stand-in helix was not found"));
  }

  private String base() {
    return "http://127.0.0.1:" + helix.getAddress().getPort();
  }

  @Test
  void aJsonAnswerComesBackWithTheTokenSent() throws Exception {
    answers.add(new Answer(200, "{\"verdict\":\"know\"}", Duration.ZERO));

    Map<String, Object> answer =
        find(helix.getAddress().getPort(), "s3cret")
            .post("/context", Map.of("query", "x"), TIMEOUT);

    assertThat(answer).containsEntry("verdict", "know");
    assertThat(authorizations.take()).isEqualTo("Bearer s3cret");
  }

  @Test
  void aRefusedArgumentIsAUsageErrorQuotingTheServer() throws Exception {
    answers.add(
        new Answer(400, "{\"error\":{\"message\":\"query must not be empty\"}}", Duration.ZERO));
    ServerClient server = find(helix.getAddress().getPort(), "s3cret");

    assertThatThrownBy(() -> server.post("/context", Map.of("query", ""), TIMEOUT))
        .isInstanceOfSatisfying(
            CommandFailedException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.USAGE))
        .hasMessage(
            "the helix server at " + base() + "/context answered 400: query must not be empty");
  }

  @Test
  void aWrongTokenSaysWhichSettingToSet() throws Exception {
    answers.add(
        new Answer(401, "{\"error\":{\"message\":\"missing or wrong token\"}}", Duration.ZERO));
    ServerClient server = find(helix.getAddress().getPort(), "wrong");

    assertThatThrownBy(() -> server.get("/roots", TIMEOUT))
        .isInstanceOfSatisfying(
            CommandFailedException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.ERROR))
        .hasMessageEndingWith(
            "answered 401: missing or wrong token (set [server] token or HELIX_TOKEN to the server's token)");
  }

  @Test
  void aBodyThatIsNotJsonSaysToCheckTheLog() throws Exception {
    answers.add(new Answer(502, "<html>bad gateway</html>", Duration.ZERO));
    ServerClient server = find(helix.getAddress().getPort(), "s3cret");

    assertThatThrownBy(() -> server.delete("/roots/app", TIMEOUT))
        .isInstanceOf(CommandFailedException.class)
        .hasMessage(
            "the helix server at "
                + base()
                + "/roots/app answered 502 with a body that is not JSON; check its log");
  }

  @Test
  void aServerThatStopsAnsweringMidCommandIsAMessageNamingTheUrl() throws Exception {
    answers.add(new Answer(200, "{}", Duration.ofSeconds(6)));
    ServerClient server = find(helix.getAddress().getPort(), "s3cret");

    assertThatThrownBy(() -> server.post("/ingest", Map.of("paths", "x"), Duration.ofMillis(1500)))
        .isInstanceOfSatisfying(
            CommandFailedException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.ERROR))
        .hasMessageStartingWith(
            "helix server at " + base() + "/ingest did not answer (no answer within 1.5 s)");
  }

  @Test
  void nothingAnsweringAsHelixMeansNoServer() throws Exception {
    Path home = Files.createDirectories(dir.resolve("home"));
    Path toml = dir.resolve("helix.toml");
    Files.writeString(
        toml,
        "[server]\nport = %d\n[launcher]\nport = %d\n"
            .formatted(ChildJvm.freePort(), ChildJvm.freePort()));
    HelixConfig config =
        new ConfigLoader(Map.of("HELIX_HOME", home.toString()), dir, home).load(toml).config();

    assertThat(ServerClient.find(config, Json.mapper())).isEmpty();
  }
}
