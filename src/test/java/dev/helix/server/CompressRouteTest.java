package dev.helix.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /compress}: the same JSON as {@code helix compress --json}. */
@Timeout(60)
class CompressRouteTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @TempDir Path dir;
  private ServerFixture helix;

  @BeforeEach
  void start() throws Exception {
    helix =
        ServerFixture.start(
            dir,
            "http://127.0.0.1:9",
            "",
            Map.of("HELIX_DISABLE_HEADROOM", "1"),
            FixedContextService.noMatch());
  }

  @AfterEach
  void stop() {
    helix.close();
  }

  @Test
  void compressesALogIntoTheBudgetKeepingTheErrorLine() throws Exception {
    String log =
        IntStream.range(0, 400)
                .mapToObj(i -> "INFO step " + i + " finished fine")
                .collect(Collectors.joining("\n"))
            + "\nERROR InvoiceTest failed: expected 3 but was 4\n"
            + IntStream.range(0, 400)
                .mapToObj(i -> "INFO cleanup " + i)
                .collect(Collectors.joining("\n"));
    String body = MAPPER.writeValueAsString(Map.of("text", log, "target", 120, "kind", "log"));

    HttpResponse<String> response = helix.post("/compress", body);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode json = MAPPER.readTree(response.body());
    assertThat(json.get("tokens").asInt()).isLessThanOrEqualTo(120);
    assertThat(json.get("text").asText()).contains("ERROR InvoiceTest failed");
    assertThat(json.get("kind").asText()).isEqualTo("log");
    assertThat(json.get("via").asText()).isEqualTo("local");
    assertThat(json.get("omitted").asInt()).isPositive();
  }

  @Test
  void anUnknownKindIsA400NamingTheFieldAndTheAllowedKinds() throws Exception {
    HttpResponse<String> response = helix.post("/compress", "{\"text\":\"x\",\"kind\":\"yaml\"}");

    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode error = MAPPER.readTree(response.body()).get("error");
    assertThat(error.get("param").asText()).isEqualTo("kind");
    assertThat(error.get("message").asText())
        .contains("yaml")
        .contains("auto, json, log, diff, code, prose");
  }

  /** Issue 20: JSON stays valid JSON, or the target is refused with the smallest one that works. */
  @Test
  void aTargetTooSmallForValidJsonIsA400NamingTheSmallestTarget() throws Exception {
    String document =
        MAPPER.writeValueAsString(
            Map.of(
                "name",
                "react",
                "versions",
                IntStream.range(0, 400).mapToObj(i -> "0." + i + ".0").toList()));
    String body = MAPPER.writeValueAsString(Map.of("text", document, "target", 5));

    HttpResponse<String> response = helix.post("/compress", body);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    JsonNode error = MAPPER.readTree(response.body()).get("error");
    assertThat(error.get("param").asText()).isEqualTo("target");
    assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
    assertThat(error.get("message").asText())
        .containsPattern("target 5 is too small .*; use target \\d+ or more");
  }

  @Test
  void missingTextIsA400() throws Exception {
    HttpResponse<String> response = helix.post("/compress", "{\"target\":10}");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(MAPPER.readTree(response.body()).at("/error/param").asText()).isEqualTo("text");
  }

  /**
   * The field comes from Jackson's path to the value it could not bind, whatever the message says.
   */
  @Test
  void aBadFieldIsNamedFromWhereJacksonFailed() throws Exception {
    Map<String, String> bodies =
        Map.of(
            "{\"text\": 5}", "text",
            "{\"text\": \"x\", \"target\": \"300\"}", "target",
            "{\"text\": \"x\", \"target\": 1.5}", "target",
            "{\"text\": \"x\", \"kind\": [\"log\"]}", "kind",
            "{\"text\": \"x\", \"query\": {\"q\": 1}}", "query",
            "{\"text\": null}", "text");
    for (Map.Entry<String, String> bad : bodies.entrySet()) {
      HttpResponse<String> response = helix.post("/compress", bad.getKey());

      assertThat(response.statusCode()).as(bad.getKey()).isEqualTo(400);
      JsonNode error = MAPPER.readTree(response.body()).get("error");
      assertThat(error.get("param").asText()).as(bad.getKey()).isEqualTo(bad.getValue());
      assertThat(error.get("message").asText()).as(bad.getKey()).startsWith(bad.getValue() + ": ");
    }
  }

  @Test
  void anUnknownPathIsA404ListingEveryRouteCompressIncluded() throws Exception {
    HttpResponse<String> response = helix.get("/nowhere");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(MAPPER.readTree(response.body()).at("/error/message").asText())
        .startsWith("no route /nowhere; helix serves /v1/*, ")
        .contains(
            "/compress",
            "/context",
            "/context/packet",
            "/ingest",
            "/roots",
            "/source",
            "/health",
            "/stats",
            "/metrics",
            "/admin/shutdown")
        .endsWith(" and /roots/*");
  }
}
