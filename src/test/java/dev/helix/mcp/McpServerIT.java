package dev.helix.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helix.testing.ChildJvm;
import dev.helix.testing.HelixRun;
import dev.helix.testing.ServeProcess;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code helix mcp} as agents run it: spawned by the official MCP TypeScript SDK client over stdio,
 * against a real {@code helix serve} child or none at all.
 */
class McpServerIT {
  @TempDir Path dir;

  private final ObjectMapper json = new ObjectMapper();

  private Map<String, String> env(String serverUrl) {
    return Map.of("HELIX_HOME", dir.resolve("home").toString(), "HELIX_MCP_URL", serverUrl);
  }

  private static Map<String, Object> call(String name, Map<String, Object> arguments) {
    return Map.of("name", name, "arguments", arguments);
  }

  private static String downUrl() throws Exception {
    return "http://127.0.0.1:" + ChildJvm.freePort();
  }

  @Test
  void anAgentSeesTheFiveToolsWithSchemasAndHelixMcpEndsByItselfWhenStdinCloses() throws Exception {
    NodeMcpClient.Run run = NodeMcpClient.run(dir, env(downUrl()), List.of());
    JsonNode report = run.report();

    assertThat(report.at("/server/name").asText()).isEqualTo("helix");
    JsonNode tools = report.path("tools");
    assertThat(tools.findValuesAsText("name"))
        .containsExactly(
            "helix_context", "helix_context_packet", "helix_ingest", "helix_health", "helix_stats");
    JsonNode context = tools.get(0);
    assertThat(context.at("/inputSchema/required").toString()).isEqualTo("[\"query\"]");
    assertThat(context.at("/inputSchema/properties").fieldNames())
        .toIterable()
        .containsExactly("query", "max_tokens", "max_chunks", "roots");
    assertThat(context.path("description").asText())
        .contains("do not answer from this context")
        .contains("helix_ingest")
        .contains("stale");
    assertThat(tools.get(1).at("/inputSchema/properties/task_type/enum").toString())
        .isEqualTo("[\"explain\",\"review\",\"edit\",\"debug\",\"ops\"]");
    assertThat(tools.get(2).at("/inputSchema/properties").fieldNames())
        .toIterable()
        .containsExactly("paths", "content", "content_type", "source");
    assertThat(tools.get(3).at("/inputSchema/properties").size()).isZero();
    // The SDK ends stdin, waits up to 2 s, then sends SIGTERM: no signal means helix mcp left by
    // itself.
    assertThat(report.at("/exit/signal").isNull()).as(report.path("exit").toString()).isTrue();
    assertThat(report.at("/exit/code").asInt()).isZero();
  }

  @Test
  void contextWithTheServerDownIsAToolErrorThatSaysHowToStartIt() throws Exception {
    String url = downUrl();

    JsonNode report =
        NodeMcpClient.run(
                dir,
                env(url),
                List.of(
                    call("helix_context", Map.of("query", "how is routing decided")),
                    call("helix_health", Map.of())))
            .report();

    for (JsonNode result : report.path("calls").findValues("result")) {
      assertThat(result.path("isError").asBoolean()).isTrue();
      assertThat(result.at("/content/0/text").asText())
          .contains("helix server at " + url + " is not running")
          .contains("start it with ./helix up");
    }
    assertThat(report.path("calls").findValues("result")).hasSize(2);
    assertThat(report.path("calls").findValues("error")).as("no protocol errors").isEmpty();
    assertThat(report.at("/exit/signal").isNull()).isTrue();
  }

  /** A small tree ingested through MCP answers with a cited "know". */
  @Test
  void smallIngestedTreeGivesACitedAnswer() throws Exception {
    Path tree = dir.resolve("project/docs");
    Files.createDirectories(tree);
    Files.writeString(
        tree.resolve("routing.md"),
        """
        # Headroom routing

        The launcher decides whether chat traffic goes through Headroom. The first matching rule wins:
        the switch HELIX_HEADROOM_ROUTE_UPSTREAM_AUTO set to a falsy value forces routing off with the
        reason code env_forced_off; a loopback upstream is never routed (loopback_upstream).
        """);
    Files.writeString(
        tree.resolve("garden.md"),
        """
        # Tomatoes

        Water tomato plants deeply twice a week and stake them when they reach knee height.
        """);
    try (ServeProcess serve = ServeProcess.start(dir, "")) {
      // helix mcp runs in dir/project, so the relative path "docs" must reach the server as
      // dir/project/docs.
      JsonNode report =
          NodeMcpClient.run(
                  dir.resolve("project"),
                  env(serve.url()),
                  List.of(
                      call("helix_ingest", Map.of("paths", List.of("docs"))),
                      call("helix_stats", Map.of()),
                      call(
                          "helix_context",
                          Map.of("query", "which reason code forces Headroom routing off")),
                      call(
                          "helix_context",
                          Map.of(
                              "query",
                              "which reason code forces Headroom routing off",
                              "roots",
                              List.of("docs"))),
                      call(
                          "helix_context",
                          Map.of("query", "tomato plants", "roots", List.of("nope")))))
              .report();

      assertThat(report.at("/calls/0/result/isError").asBoolean())
          .as(report.at("/calls/0").toString())
          .isFalse();
      assertThat(report.at("/calls/1/result/structuredContent/chunks").asLong()).isPositive();
      JsonNode answer = report.at("/calls/2/result");
      assertThat(answer.path("isError").asBoolean()).as(answer.toString()).isFalse();
      assertThat(answer.at("/structuredContent/verdict").asText()).isEqualTo("know");
      assertThat(answer.at("/structuredContent/context").asText()).contains("env_forced_off");
      assertThat(answer.at("/structuredContent/citations/0/source").asText())
          .endsWith("routing.md");
      assertThat(answer.at("/structuredContent/citations/0/lines").size()).isEqualTo(2);
      // The folder is a root an agent can see and scope to; an unknown root is an error naming the
      // known ones.
      assertThat(report.at("/calls/1/result/structuredContent/roots/0/name").asText())
          .isEqualTo("docs");
      assertThat(report.at("/calls/3/result/structuredContent/verdict").asText()).isEqualTo("know");
      JsonNode unknown = report.at("/calls/4/result");
      assertThat(unknown.path("isError").asBoolean()).as(unknown.toString()).isTrue();
      assertThat(unknown.toString()).contains("nope").contains("docs");
    }
  }

  @Test
  void aBadMcpUrlStopsHelixMcpWithStatusTwoAndAnEmptyStdinEndsItCleanly() throws Exception {
    HelixRun.Result bad =
        HelixRun.run(
            dir, Map.of("HELIX_HOME", dir.toString(), "HELIX_MCP_URL", "localhost:11437"), "mcp");
    HelixRun.Result empty = HelixRun.run(dir, env(downUrl()), "mcp");

    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.stdout()).isEmpty();
    assertThat(bad.stderr()).contains("HELIX_MCP_URL=localhost:11437 is not an http(s) URL");
    assertThat(empty.exitCode()).as(empty.stderr()).isZero();
    assertThat(empty.stdout()).isEmpty();
  }

  @Test
  void closingStdinEndsHelixMcpWithinTwoSecondsAndStdoutHeldOnlyProtocol() throws Exception {
    // An unknown key makes the config loader warn: the warning must go to stderr, not into the
    // protocol.
    Files.writeString(dir.resolve("helix.toml"), "[server]\nprot = 1\n");
    ProcessBuilder builder = new ProcessBuilder(HelixRun.command("mcp")).directory(dir.toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("HELIX_"));
    builder.environment().putAll(env(downUrl()));
    Process process = builder.start();
    try {
      CompletableFuture<String> stderr =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return new String(
                      process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (java.io.IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              });
      BufferedReader stdout =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      OutputStream stdin = process.getOutputStream();
      stdin.write(
          ("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
                  + "\"capabilities\":{},\"clientInfo\":{\"name\":\"it\",\"version\":\"1\"}}}\n"
                  + "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}\n"
                  + "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}\n")
              .getBytes(StandardCharsets.UTF_8));
      stdin.flush();
      List<String> lines = new ArrayList<>();
      lines.add(stdout.readLine());
      lines.add(stdout.readLine());

      long closed = System.nanoTime();
      stdin.close();
      // Without the stdin watch it never exits; 10 s only keeps a loaded CI machine from failing
      // it.
      boolean exited = process.waitFor(10, TimeUnit.SECONDS);
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closed);

      assertThat(exited).as("helix mcp still running 10 s after stdin closed").isTrue();
      System.out.println("helix mcp exited " + millis + " ms after stdin closed");
      assertThat(process.exitValue()).isZero();
      for (String rest; (rest = stdout.readLine()) != null; ) {
        lines.add(rest);
      }
      assertThat(lines)
          .allSatisfy(
              line -> assertThat(json.readTree(line).path("jsonrpc").asText()).isEqualTo("2.0"));
      assertThat(json.readTree(lines.get(1)).at("/result/tools").size()).isEqualTo(5);
      assertThat(stderr.get(10, TimeUnit.SECONDS)).contains("server.prot");
    } finally {
      process.destroyForcibly();
    }
  }
}
