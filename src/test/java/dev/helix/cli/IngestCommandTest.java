package dev.helix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.helix.config.ConfigLoader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** While a helix server runs it owns the store: {@code helix ingest} hands it the paths. */
class IngestCommandTest {
  @TempDir Path dir;
  HttpServer server;
  final List<String> requests = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startStandInServer() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/health",
        x -> {
          byte[] body =
              "{\"service\":\"helix\",\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8);
          x.sendResponseHeaders(200, body.length);
          x.getResponseBody().write(body);
          x.close();
        });
    server.createContext(
        "/ingest",
        x -> {
          String request = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          requests.add(x.getRequestHeaders().getFirst("Authorization") + " " + request);
          if (request.contains("no-such-folder")) {
            byte[] refusal =
                """
            {"error":{"message":"no such file or folder: /x/no-such-folder; send paths that exist","type":"invalid_request_error","param":"paths","code":null}}
            """
                    .getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().add("Content-Type", "application/json");
            x.sendResponseHeaders(400, refusal.length);
            x.getResponseBody().write(refusal);
            x.close();
            return;
          }
          byte[] body =
              """
          {"files":2,"unchanged":0,"removed":0,"skipped":{"binary":0,"too_large":0},"chunks":5,
           "bytes":100,"mb":0.0001,"seconds":0.1,"mb_per_s":0.001,
           "store":{"chunks":5,"sources":2,"store_bytes":4096}}
          """
                  .getBytes(StandardCharsets.UTF_8);
          x.getResponseHeaders().add("Content-Type", "application/json");
          x.sendResponseHeaders(200, body.length);
          x.getResponseBody().write(body);
          x.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void withAServerRunningIngestSendsAbsolutePathsWithTheTokenAndPrintsItsAnswer() throws Exception {
    Path home = Files.createDirectories(dir.resolve("home"));
    Path toml =
        Files.writeString(
            dir.resolve("helix.toml"),
            """
        [server]
        port = %d
        token = "s3cret"
        [store]
        path = "%s"
        """
                .formatted(
                    server.getAddress().getPort(),
                    dir.resolve("store").toString().replace("\\", "\\\\")));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Cli cli =
        new Cli(
            new ConfigLoader(Map.of("HELIX_HOME", home.toString()), dir, home),
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            Map.of());

    int code = new Main(cli).run("ingest", "some/folder", "--json", "--config", toml.toString());

    assertThat(code).as(err.toString()).isZero();
    assertThat(requests).hasSize(1);
    String expected = Path.of("some/folder").toAbsolutePath().normalize().toString();
    JsonNode sent =
        new ObjectMapper()
            .readTree(requests.getFirst().substring(requests.getFirst().indexOf('{')));
    assertThat(requests.getFirst()).startsWith("Bearer s3cret ");
    assertThat(sent.path("paths").get(0).asText()).isEqualTo(expected);
    assertThat(new ObjectMapper().readTree(out.toString()).path("store").path("chunks").asInt())
        .isEqualTo(5);
    assertThat(err.toString()).contains("owns the store");
    assertThat(Files.exists(dir.resolve("store")))
        .as("the CLI never opened the store itself")
        .isFalse();
  }

  @Test
  void aPathTheServerRefusesAsMissingIsABadArgumentAsWithoutAServer() throws Exception {
    Path toml =
        Files.writeString(
            dir.resolve("helix.toml"), "[server]\nport = " + server.getAddress().getPort() + "\n");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Path home = Files.createDirectories(dir.resolve("home"));
    Cli cli =
        new Cli(
            new ConfigLoader(Map.of("HELIX_HOME", home.toString()), dir, home),
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            Map.of());

    int code = new Main(cli).run("ingest", "no-such-folder", "--config", toml.toString());

    assertThat(code).as(err.toString()).isEqualTo(2);
    assertThat(err.toString()).contains("no such file or folder");
    assertThat(out.toString()).isEmpty();
  }
}
