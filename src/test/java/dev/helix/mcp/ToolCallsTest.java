package dev.helix.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each tool call against a stand-in server on loopback: what the agent gets for every outcome. */
class ToolCallsTest {
  @TempDir Path project;

  private final ObjectMapper json = new ObjectMapper();
  private final StubServer server;

  ToolCallsTest() throws Exception {
    server = new StubServer();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private ToolCalls calls(String url, String token) {
    return new ToolCalls(new ServerCalls(url, token, json), json, project);
  }

  @Test
  void contextCallPostsItsArgumentsAsTheBodyWithTheTokenAndGivesBackTheJson() throws Exception {
    String answer =
        "{\"verdict\":\"know\",\"confidence\":0.9,\"context\":\"...\",\"citations\":[{\"source\":\"a.py\",\"lines\":[1,9]}]}";
    server.enqueue(200, answer);

    ToolResult result =
        calls(server.url(), "s3cret")
            .call(ToolCatalog.CONTEXT, Map.of("query", "how is routing decided", "max_chunks", 3));

    StubServer.Request request = server.takeRequest();
    assertThat(request.method() + " " + request.path()).isEqualTo("POST /context");
    assertThat(request.headers())
        .containsEntry("Authorization", "Bearer s3cret")
        .containsEntry("Content-Type", "application/json");
    assertThat(json.readTree(request.body()))
        .isEqualTo(json.readTree("{\"query\":\"how is routing decided\",\"max_chunks\":3}"));
    assertThat(result.error()).isFalse();
    assertThat(result.text()).isEqualTo(answer);
    assertThat(result.structured()).containsEntry("verdict", "know").containsKey("citations");
  }

  @Test
  void aMissIsAnAnswerNotAToolError() {
    server.enqueue(
        200,
        "{\"verdict\":\"miss\",\"reason\":\"stale\",\"do_not_answer_from_context\":true,\"refresh_targets\":[\"/p/a.py\"]}");

    ToolResult result = calls(server.url(), null).call(ToolCatalog.CONTEXT, Map.of("query", "x"));

    assertThat(result.error()).isFalse();
    assertThat(result.text()).contains("do_not_answer_from_context");
  }

  @Test
  void noTokenConfiguredSendsNoAuthorization() throws Exception {
    server.enqueue(200, "{\"service\":\"helix\"}");

    calls(server.url(), null).call(ToolCatalog.HEALTH, null);

    StubServer.Request request = server.takeRequest();
    assertThat(request.method() + " " + request.path()).isEqualTo("GET /health");
    assertThat(request.headers()).doesNotContainKey("Authorization");
  }

  @Test
  void rejectedArgumentsBecomeAToolErrorQuotingTheServer() {
    server.enqueue(
        400,
        "{\"error\":{\"message\":\"task_type 'fix' is not one of explain, review, edit, debug, ops\",\"type\":\"invalid_request_error\",\"param\":\"task_type\",\"code\":null}}");

    ToolResult result =
        calls(server.url(), null)
            .call(ToolCatalog.PACKET, Map.of("query", "x", "task_type", "fix"));

    assertThat(result.error()).isTrue();
    assertThat(result.text())
        .contains("answered POST /context/packet with 400")
        .contains("task_type 'fix' is not one of explain, review, edit, debug, ops")
        .contains("fix them");
  }

  @Test
  void unauthorizedTellsToSetTheToken() {
    server.enqueue(401, "{\"error\":{\"message\":\"missing or wrong token\"}}");

    ToolResult result = calls(server.url(), null).call(ToolCatalog.STATS, Map.of());

    assertThat(result.error()).isTrue();
    assertThat(result.text())
        .contains("401")
        .contains("missing or wrong token")
        .contains("set HELIX_TOKEN");
  }

  @Test
  void aMissingRouteTellsToRestartTheServerFromThisHelix() {
    server.enqueue(404, "{\"error\":{\"message\":\"no route POST /context\"}}");

    ToolResult result = calls(server.url(), null).call(ToolCatalog.CONTEXT, Map.of("query", "x"));

    assertThat(result.error()).isTrue();
    assertThat(result.text()).contains("no route POST /context").contains("./helix up");
  }

  @Test
  void aServerFailureSaysWhereToLook() {
    server.enqueue(500, "store is corrupt");

    ToolResult result = calls(server.url(), null).call(ToolCatalog.CONTEXT, Map.of("query", "x"));

    assertThat(result.error()).isTrue();
    assertThat(result.text()).contains("500 (store is corrupt)").contains("./helix status");
  }

  @Test
  void anAnswerThatIsNotJsonMeansAnotherProgramOwnsThePort() {
    server.enqueue(200, "<html>hello</html>");

    ToolResult result = calls(server.url(), null).call(ToolCatalog.HEALTH, Map.of());

    assertThat(result.error()).isTrue();
    assertThat(result.text())
        .contains("not JSON")
        .contains("<html>hello</html>")
        .contains("HELIX_MCP_URL");
  }

  @Test
  void noServerListeningTellsHowToStartIt() throws Exception {
    int port = dev.helix.testing.ChildJvm.freePort();
    String url = "http://127.0.0.1:" + port;

    ToolResult result = calls(url, null).call(ToolCatalog.CONTEXT, Map.of("query", "x"));

    assertThat(result.error()).isTrue();
    assertThat(result.text())
        .startsWith("helix server at " + url + " is not running")
        .contains("start it with ./helix up")
        .contains("HELIX_MCP_URL");
  }

  @Test
  void relativeIngestPathsAreResolvedAgainstTheAgentsFolder() throws Exception {
    server.enqueue(200, "{\"files\":2}");

    ToolResult result =
        calls(server.url(), null)
            .call(
                ToolCatalog.INGEST,
                Map.of("paths", List.of("src", "docs/../README.md", "/abs/notes")));

    assertThat(result.error()).isFalse();
    assertThat(json.readTree(server.takeRequest().body()).path("paths"))
        .isEqualTo(
            json.valueToTree(
                List.of(
                    project.resolve("src").toString(),
                    project.resolve("README.md").toString(),
                    "/abs/notes")));
  }

  @Test
  void contentIngestIsSentUnchanged() throws Exception {
    server.enqueue(200, "{\"chunk_ids\":[\"0123456789abcdef\"],\"count\":1}");

    ToolResult result =
        calls(server.url(), null)
            .call(
                ToolCatalog.INGEST,
                Map.of("content", "we chose BM25", "content_type", "text", "source", "decisions"));

    assertThat(result.structured()).containsEntry("count", 1);
    assertThat(json.readTree(server.takeRequest().body()))
        .isEqualTo(
            json.readTree(
                "{\"content\":\"we chose BM25\",\"content_type\":\"text\",\"source\":\"decisions\"}"));
  }

  @Test
  void ingestWithNeitherOrBothShapesExplainsBothWithoutCallingTheServer() {
    ToolResult neither = calls(server.url(), null).call(ToolCatalog.INGEST, Map.of());
    ToolResult both =
        calls(server.url(), null)
            .call(ToolCatalog.INGEST, Map.of("paths", List.of("a"), "content", "b"));
    ToolResult untyped = calls(server.url(), null).call(ToolCatalog.INGEST, Map.of("content", "b"));

    assertThat(neither.error()).isTrue();
    assertThat(neither.text())
        .contains("neither paths nor content")
        .contains("{\"paths\": [")
        .contains("\"content_type\"");
    assertThat(both.text()).contains("both paths and content");
    assertThat(untyped.text()).contains("without content_type");
    assertThat(server.requestCount()).isZero();
  }
}
