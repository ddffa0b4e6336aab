package dev.helix.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helix.config.ConfigLoader;
import dev.helix.config.HelixConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link HelixMcp} on in-memory streams, spoken to in raw JSON-RPC lines as a client would. */
class HelixMcpTest {
  @TempDir Path cwd;
  @TempDir Path home;

  private final ObjectMapper json = new ObjectMapper();
  private final StubServer server;
  private final PipedOutputStream toServer = new PipedOutputStream();
  private final BlockingQueue<String> fromServer = new LinkedBlockingQueue<>();
  private final List<String> allOutput = new ArrayList<>();

  HelixMcpTest() throws IOException {
    server = new StubServer();
  }

  @AfterEach
  void stop() throws IOException {
    toServer.close();
    server.close();
  }

  private HelixConfig config(Map<String, String> env) throws Exception {
    return new ConfigLoader(env, cwd, home).load(null).config();
  }

  /** Starts {@code helix mcp} on pipes; the future completes with its exit status. */
  private CompletableFuture<Integer> start() throws Exception {
    HelixMcp mcp =
        HelixMcp.create(config(Map.of("HELIX_MCP_URL", server.url() + "/")), "test", cwd);
    PipedInputStream stdin = new PipedInputStream(toServer, 1 << 16);
    PipedInputStream stdoutReader = new PipedInputStream(1 << 16);
    OutputStream stdout = new PipedOutputStream(stdoutReader);
    Thread.ofPlatform()
        .daemon()
        .start(
            () -> {
              try (BufferedReader reader =
                  new BufferedReader(new InputStreamReader(stdoutReader, StandardCharsets.UTF_8))) {
                for (String line; (line = reader.readLine()) != null; ) {
                  synchronized (allOutput) {
                    allOutput.add(line);
                  }
                  fromServer.add(line);
                }
              } catch (IOException e) {
                // The writer side went away with the server: the test has what it needs.
              }
            });
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return mcp.serve(stdin, stdout);
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
        });
  }

  private void send(String message) throws IOException {
    toServer.write((message + "\n").getBytes(StandardCharsets.UTF_8));
    toServer.flush();
  }

  private JsonNode receive() throws Exception {
    String line = fromServer.poll(20, TimeUnit.SECONDS);
    assertThat(line).as("an answer from helix mcp").isNotNull();
    return json.readTree(line);
  }

  private void initialize() throws Exception {
    send(
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
            + "\"capabilities\":{},\"clientInfo\":{\"name\":\"test\",\"version\":\"1\"}}}");
    assertThat(receive().at("/result/serverInfo/name").asText()).isEqualTo("helix");
    send("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
  }

  @Test
  void listsTheFiveToolsCallsOneAndReturnsWhenStdinEnds() throws Exception {
    server.enqueue(200, "{\"service\":\"helix\",\"status\":\"ok\"}");
    CompletableFuture<Integer> exit = start();
    initialize();

    send("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}");
    JsonNode tools = receive().at("/result/tools");
    send(
        "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"helix_health\",\"arguments\":{}}}");
    JsonNode health = receive().path("result");
    toServer.close();

    assertThat(tools.findValuesAsText("name"))
        .containsExactly(
            "helix_context", "helix_context_packet", "helix_ingest", "helix_health", "helix_stats");
    assertThat(health.path("isError").asBoolean()).isFalse();
    assertThat(health.at("/content/0/text").asText())
        .isEqualTo("{\"service\":\"helix\",\"status\":\"ok\"}");
    assertThat(health.at("/structuredContent/service").asText()).isEqualTo("helix");
    assertThat(exit.get(20, TimeUnit.SECONDS)).isZero();
    synchronized (allOutput) {
      assertThat(allOutput)
          .allSatisfy(
              line -> assertThat(json.readTree(line).path("jsonrpc").asText()).isEqualTo("2.0"));
    }
  }

  @Test
  void argumentsThatBreakTheSchemaGiveAToolErrorNamingTheField() throws Exception {
    CompletableFuture<Integer> exit = start();
    initialize();

    send(
        "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"helix_context_packet\","
            + "\"arguments\":{\"query\":\"x\",\"task_type\":\"fix\"}}}");
    JsonNode answer = receive();
    toServer.close();

    assertThat(answer.has("error")).as("not a protocol error").isFalse();
    assertThat(answer.at("/result/isError").asBoolean()).isTrue();
    assertThat(answer.at("/result/content/0/text").asText()).contains("task_type");
    assertThat(server.requestCount()).isZero();
    assertThat(exit.get(20, TimeUnit.SECONDS)).isZero();
  }

  @Test
  void aCallStillRunningWhenStdinEndsIsAnsweredBeforeExit() throws Exception {
    server.enqueue(200, "{\"verdict\":\"know\"}", Duration.ofMillis(300));
    CompletableFuture<Integer> exit = start();
    initialize();

    send(
        "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"helix_context\",\"arguments\":{\"query\":\"x\"}}}");
    server.takeRequest();
    toServer.close();

    JsonNode answer = receive();
    assertThat(answer.path("id").asInt()).isEqualTo(7);
    assertThat(answer.at("/result/structuredContent/verdict").asText()).isEqualTo("know");
    assertThat(exit.get(20, TimeUnit.SECONDS)).isZero();
  }

  @Test
  void aLineThatIsNotJsonRpcGetsAnErrorAndTheSessionCarriesOn() throws Exception {
    CompletableFuture<Integer> exit = start();

    send("this is not json");
    JsonNode parseError = receive();
    send("{\"jsonrpc\":\"2.0\",\"id\":9,\"params\":{}}");
    JsonNode invalid = receive();
    initialize();
    toServer.close();

    assertThat(parseError.at("/error/code").asInt()).isEqualTo(-32700);
    assertThat(parseError.path("id").isNull()).isTrue();
    assertThat(invalid.at("/error/code").asInt()).isEqualTo(-32600);
    assertThat(invalid.path("id").asInt()).isEqualTo(9);
    assertThat(exit.get(20, TimeUnit.SECONDS)).as("still ends when stdin closes").isZero();
  }

  @Test
  void mcpUrlWinsOverTheConfiguredServer() throws Exception {
    assertThat(
            HelixMcp.create(config(Map.of("HELIX_MCP_URL", "http://localhost:9999/")), "t", cwd)
                .serverUrl())
        .isEqualTo("http://localhost:9999");
    assertThat(HelixMcp.create(config(Map.of()), "t", cwd).serverUrl())
        .isEqualTo("http://127.0.0.1:11437");
  }

  @Test
  void anMcpUrlThatIsNotHttpIsRefusedNamingIt() {
    assertThatThrownBy(
            () -> HelixMcp.create(config(Map.of("HELIX_MCP_URL", "127.0.0.1:11437")), "t", cwd))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("HELIX_MCP_URL=127.0.0.1:11437")
        .hasMessageContaining("http://127.0.0.1:11437");
  }
}
