package dev.helix.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helix.store.StoreUnavailableException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code /context}, {@code /context/packet}, {@code /ingest}, {@code /stats}, {@code /metrics}. */
@Timeout(60)
class ContextRoutesTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @TempDir Path dir;
  private FixedContextService store;
  private ServerFixture helix;

  @BeforeEach
  void start() throws Exception {
    store = FixedContextService.noMatch();
    // Nothing listens on port 9: the routes here never need the upstream.
    helix =
        ServerFixture.start(dir, "http://127.0.0.1:9", "max_body_bytes = 2000\n", Map.of(), store);
  }

  @AfterEach
  void stop() {
    helix.close();
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    return MAPPER.readTree(response.body());
  }

  @Test
  void contextAnswersOneObjectWithTheVerdictAtTheTopLevel() throws Exception {
    store.answer(ProxyRouteTest.know());
    HttpResponse<String> response =
        helix.post("/context", "{\"query\":\"Foo.bar\",\"max_chunks\":3}");

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode answer = json(response);
    assertThat(answer.get("verdict").asText()).isEqualTo("know");
    assertThat(answer.get("citations").get(0).get("lines").toString()).isEqualTo("[3,9]");
    assertThat(store.queries.getFirst().maxChunks()).isEqualTo(3);
    assertThat(store.queries.getFirst().maxTokens()).isEqualTo(6000);
  }

  @Test
  void aStoreWhoseClusterIsDownIs503NamingTheCluster() throws Exception {
    store.fail(
        new StoreUnavailableException(
            "http://cluster.example:9200",
            "the OpenSearch cluster at http://cluster.example:9200 is unreachable"));
    HttpResponse<String> response = helix.post("/context", "{\"query\":\"Foo.bar\"}");

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(json(response).at("/error/code").asText()).isEqualTo("store_unavailable");
    assertThat(json(response).at("/error/message").asText())
        .contains("http://cluster.example:9200 is unreachable");
  }

  @Test
  void contextRefusesAnEmptyQueryAndWrongTypesNamingTheField() throws Exception {
    HttpResponse<String> empty = helix.post("/context", "{\"query\":\"  \"}");
    assertThat(empty.statusCode()).isEqualTo(400);
    assertThat(json(empty).at("/error/param").asText()).isEqualTo("query");

    HttpResponse<String> wrongType =
        helix.post("/context", "{\"query\":\"x\",\"max_tokens\":\"many\"}");
    assertThat(wrongType.statusCode()).isEqualTo(400);
    assertThat(json(wrongType).at("/error/message").asText())
        .contains("max_tokens")
        .contains("\"many\"");

    HttpResponse<String> notJson = helix.post("/context", "{query:");
    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(json(notJson).at("/error/message").asText())
        .contains("not valid JSON")
        .contains("line 1");
  }

  @Test
  void packetRefusesAnUnknownTaskTypeListingTheAllowedOnes() throws Exception {
    HttpResponse<String> bad =
        helix.post("/context/packet", "{\"query\":\"x\",\"task_type\":\"refactor\"}");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(json(bad).at("/error/param").asText()).isEqualTo("task_type");
    assertThat(json(bad).at("/error/message").asText())
        .contains("refactor")
        .contains("explain, review, edit, debug, ops");

    HttpResponse<String> ok =
        helix.post("/context/packet", "{\"query\":\"x\",\"task_type\":\"debug\"}");
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(json(ok).get("verdict").asText()).isEqualTo("miss");
    assertThat(json(ok).has("stale_risk")).isTrue();
  }

  @Test
  void ingestStoresPostedContentAndRefusesEmptyOrBinaryContent() throws Exception {
    HttpResponse<String> ok =
        helix.post(
            "/ingest",
            "{\"content\":\"notes\",\"content_type\":\"conversation\",\"source\":\"chat\"}");
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(json(ok).get("count").asInt()).isEqualTo(1);
    assertThat(json(ok).get("chunk_ids").get(0).asText()).isEqualTo("00000000000000aa");
    assertThat(store.ingested).containsExactly("conversation:notes");

    assertThat(helix.post("/ingest", "{\"content\":\"\"}").statusCode()).isEqualTo(400);
    HttpResponse<String> nul = helix.post("/ingest", "{\"content\":\"a\\u0000b\"}");
    assertThat(nul.statusCode()).isEqualTo(400);
    assertThat(json(nul).at("/error/message").asText()).contains("NUL");
    HttpResponse<String> type =
        helix.post("/ingest", "{\"content\":\"a\",\"content_type\":\"pdf\"}");
    assertThat(json(type).at("/error/message").asText())
        .contains("pdf")
        .contains("text, code, conversation");
  }

  @Test
  void ingestOfPathsAnswersTheIngestSummary() throws Exception {
    HttpResponse<String> response =
        helix.post("/ingest", "{\"paths\":[\"" + dir.toString().replace("\\", "\\\\") + "\"]}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(json(response).get("files").asInt()).isEqualTo(1);
    assertThat(json(response).at("/store/chunks").asInt()).isEqualTo(7);
    assertThat(store.ingestedPaths.getFirst()).containsExactly(dir.toAbsolutePath().normalize());
  }

  @Test
  void oversizedBodyIs413NamingTheLimit() throws Exception {
    HttpResponse<String> response =
        helix.post("/ingest", "{\"content\":\"" + "x".repeat(3000) + "\"}");
    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(json(response).at("/error/message").asText()).contains("max_body_bytes = 2000");
  }

  @Test
  void statsHasStoreTotalsAndTheRecentQueries() throws Exception {
    helix.post("/context", "{\"query\":\"a\"}");
    store.answer(ProxyRouteTest.know());
    helix.post("/context", "{\"query\":\"b\"}");

    JsonNode stats = json(helix.get("/stats"));
    assertThat(stats.get("chunks").asLong()).isEqualTo(7);
    assertThat(stats.get("sources").asLong()).isEqualTo(2);
    assertThat(stats.get("store_bytes").asLong()).isEqualTo(4096);
    JsonNode queries = stats.get("queries");
    assertThat(queries.get("total").asInt()).isEqualTo(2);
    assertThat(queries.get("know").asInt()).isEqualTo(1);
    assertThat(queries.get("miss").asInt()).isEqualTo(1);
    assertThat(queries.get("recent")).hasSize(2);
    assertThat(queries.get("recent").get(1).get("verdict").asText()).isEqualTo("know");
    assertThat(queries.get("recent").get(1).get("at").asLong()).isPositive();
    assertThat(queries.get("recent").get(1).has("latency_ms")).isTrue();
  }

  @Test
  void metricsArePrometheusTextWithRoutesAndVerdicts() throws Exception {
    helix.post("/context", "{\"query\":\"a\"}");
    helix.post("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"q\"}]}");

    HttpResponse<String> metrics = helix.get("/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
    assertThat(metrics.body())
        .contains(
            "helix_http_requests_seconds_count{method=\"POST\",route=\"/context\",status=\"200\"}")
        .contains("helix_context_verdicts_total{source=\"context\",verdict=\"miss\"}")
        .contains("helix_upstream_errors_total{class=\"refused\"}");
  }

  @Test
  void healthIsAlwaysOkWithTheStoreAndUpstream() throws Exception {
    HttpResponse<String> response = helix.get("/health");
    JsonNode health = json(response);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(health.get("service").asText()).isEqualTo("helix");
    assertThat(health.get("status").asText()).isEqualTo("ok");
    assertThat(health.get("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
    assertThat(health.at("/store/ready").asBoolean()).isTrue();
    assertThat(health.at("/store/chunks").asLong()).isEqualTo(7);
    assertThat(health.at("/upstream/url").asText()).isEqualTo("http://127.0.0.1:9");
    assertThat(health.at("/upstream/reachable").asBoolean()).isFalse();
  }

  @Test
  void refusedUpstreamIs502NamingTheUrl() throws Exception {
    HttpResponse<String> response =
        helix.post(
            "/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"q\"}]}");
    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(response.headers().firstValue("X-Helix-Context")).contains("miss");
    assertThat(json(response).at("/error/message").asText())
        .contains("upstream http://127.0.0.1:9/v1/chat/completions refused the connection");
  }

  @Test
  void unknownRouteIs404AndWrongMethodIs405() throws Exception {
    assertThat(helix.get("/nope").statusCode()).isEqualTo(404);
    HttpResponse<String> wrong = helix.get("/context");
    assertThat(wrong.statusCode()).isEqualTo(405);
    assertThat(wrong.headers().firstValue("Allow")).contains("POST");
  }

  @Test
  void healthAnswersWhileTheUpstreamHangs(@TempDir Path other) throws Exception {
    // An upstream that accepts connections and never says a word.
    try (java.net.ServerSocket silent =
            new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        ServerFixture hung =
            ServerFixture.start(
                other, "http://127.0.0.1:" + silent.getLocalPort(), "", Map.of(), store)) {
      HttpResponse<String> response =
          hung.client.send(
              java.net.http.HttpRequest.newBuilder(java.net.URI.create(hung.url() + "/health"))
                  .timeout(java.time.Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(json(response).at("/upstream/reachable").asBoolean()).isFalse();
    }
  }

  @Test
  void adminShutdownAnswersThenStopsTheServer() throws Exception {
    HttpResponse<String> response = helix.post("/admin/shutdown", "{}");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(json(response).get("ok").asBoolean()).isTrue();
    helix.server.awaitShutdown();
    assertThatThrownBy(() -> helix.get("/health")).isInstanceOf(java.io.IOException.class);
  }
}
