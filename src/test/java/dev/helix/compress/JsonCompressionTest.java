package dev.helix.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JsonCompressionTest {
  private static final Tokens TOKENS = new Tokens();
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final Compression compression = Compression.local(TOKENS);

  /** 500 health checks, all "ok" at about 100 ms, except the planted ones. */
  private static String checks() throws Exception {
    Random random = new Random(7);
    ArrayNode array = MAPPER.createArrayNode();
    for (int i = 0; i < 500; i++) {
      ObjectNode item = array.addObject();
      item.put("id", i);
      item.put("service", "svc-" + (i % 17));
      item.put("status", "ok");
      item.put("latency_ms", 100 + random.nextInt(20));
      item.put("region", i % 2 == 0 ? "eu-west-1" : "us-east-1");
      if (i == 137) {
        item.put("error", "disk full on /var/lib/data");
      }
      if (i == 300) {
        item.put("latency_ms", 9000);
      }
      if (i == 420) {
        item.put("service", "payments-gateway");
      }
    }
    return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(array);
  }

  @Test
  void arrayKeepsSchemaEdgesErrorsAnomaliesAndQueryMatches() throws Exception {
    String text = checks();

    CompressionResult result = compression.compressLocally(text, 400, Kind.JSON, "payments");

    assertThat(result.tokens()).isLessThanOrEqualTo(400);
    assertThat(TOKENS.count(text)).isGreaterThan(10 * result.tokens());
    JsonNode out = MAPPER.readTree(result.text());
    assertThat(out.isArray()).isTrue();
    assertThat(result.text())
        .contains(
            "items look like {id: number, service: string, status: string, latency_ms: number, region: string, …}")
        .contains("\"id\": 0,")
        .contains("\"id\": 499,")
        .contains("disk full on /var/lib/data")
        .contains("\"latency_ms\": 9000")
        .contains("payments-gateway");
  }

  @Test
  void rareValueOfAnOtherwiseUniformFieldIsKeptAndVariedFieldsAreNot() throws Exception {
    ArrayNode array = MAPPER.createArrayNode();
    for (int i = 0; i < 300; i++) {
      ObjectNode item = array.addObject();
      item.put("id", i);
      item.put("host", "node-" + i); // every value differs: no usual value, so none is rare
      item.put("state", i == 211 ? "degraded" : "ok");
      item.put("zone", i % 3 == 0 ? "a" : "b"); // no value covers 80%
    }
    String text = MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(array);

    CompressionResult result = compression.compressLocally(text, 200, Kind.JSON, null);

    assertThat(result.tokens()).isLessThanOrEqualTo(200);
    // Were every host (or zone) rare too, every item would rank alike and 211 would lose to the
    // first ones.
    assertThat(result.text())
        .contains("\"state\": \"degraded\"")
        .contains("\"id\": 0,")
        .contains("\"id\": 299,");
  }

  @Test
  void notesSayHowManyItemsWereDroppedAndTheyAddUp() throws Exception {
    String text = checks();

    CompressionResult result = compression.compressLocally(text, 300, Kind.JSON, null);
    String out = result.text();

    JsonNode array = MAPPER.readTree(out);
    int kept = 0;
    for (JsonNode item : array) {
      kept += item.isObject() ? 1 : 0;
    }
    int omitted = Notes.omitted(out, "item");
    assertThat(kept + omitted).isEqualTo(500);
    assertThat(out).contains("[" + omitted + " of 500 items omitted");
    assertThat(result.omitted()).isEqualTo(omitted);
  }

  @Test
  void hugeObjectsLoseOrdinaryKeysButKeepTheQueriedOne() throws Exception {
    ObjectNode times = MAPPER.createObjectNode();
    for (int i = 0; i < 3000; i++) {
      times.put("1." + i + ".0", "2024-01-01T00:00:" + (i % 60) + "Z");
    }
    times.put("2.7.1-needle", "2025-06-01T00:00:00Z");
    ObjectNode root = MAPPER.createObjectNode();
    root.put("name", "left-pad");
    root.set("time", times);

    String out =
        compression
            .compressLocally(MAPPER.writeValueAsString(root), 300, Kind.JSON, "needle")
            .text();

    JsonNode parsed = MAPPER.readTree(out);
    assertThat(parsed.path("name").asText()).isEqualTo("left-pad");
    assertThat(parsed.path("time").has("2.7.1-needle")).isTrue();
    assertThat(parsed.path("time").path("…").asText()).matches("\\[… \\d+ keys omitted …\\]");
    assertThat(parsed.path("time").size() - 1 + Notes.omitted(out, "key")).isEqualTo(3001);
  }

  @Test
  void longStringsAreCutWithTheirLengthNoted() throws Exception {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("readme", "word ".repeat(20_000));
    root.put("version", "1.0.0");

    String out =
        compression.compressLocally(MAPPER.writeValueAsString(root), 200, Kind.JSON, null).text();

    assertThat(MAPPER.readTree(out).path("version").asText()).isEqualTo("1.0.0");
    assertThat(out).containsPattern("…\\[\\+\\d+ chars\\]");
  }

  /** Issue 20: npm view react --json at targets 20 to 100 came out with unbalanced braces. */
  @Test
  void aRealNpmDocumentStaysValidJsonAtSmallTargets() {
    String text = Excerpts.read("npm-view-react.json");
    for (int target : new int[] {16, 20, 30, 50, 80, 100, 120}) {
      CompressionResult result = compression.compressLocally(text, target, Kind.AUTO, null);

      assertThat(result.tokens()).as("target %d", target).isLessThanOrEqualTo(target);
      assertThatCode(() -> MAPPER.readTree(result.text()))
          .as("target %d gave %s", target, result.text())
          .doesNotThrowAnyException();
      assertThat(result.omitted())
          .isEqualTo(Notes.omitted(result.text(), "key") + Notes.omitted(result.text(), "item"));
    }
  }

  /** Issue 20: when no valid JSON fits, the target is refused with the smallest one that works. */
  @Test
  void aTargetBelowTheDocumentsOutlineIsRefusedNamingTheSmallestTargetThatWorks() throws Exception {
    String text = Excerpts.read("npm-view-react.json");

    assertThatThrownBy(() -> compression.compressLocally(text, 8, Kind.AUTO, null))
        .isInstanceOfSatisfying(
            TargetTooSmallException.class,
            e -> {
              assertThat(e.target()).isEqualTo(8);
              assertThat(e.smallest()).isGreaterThan(8);
              assertThat(e.getMessage())
                  .contains("target 8 is too small for valid JSON")
                  .contains("use target " + e.smallest() + " or more");
            });
    int smallest =
        ((TargetTooSmallException)
                catchThrowable(() -> compression.compressLocally(text, 8, Kind.AUTO, null)))
            .smallest();
    CompressionResult result = compression.compressLocally(text, smallest, Kind.AUTO, null);
    assertThat(result.tokens()).isLessThanOrEqualTo(smallest);
    assertThat(MAPPER.readTree(result.text()).path("…").asText())
        .matches("\\[… \\d+ keys omitted …\\]");
    assertThatThrownBy(() -> compression.compressLocally(text, smallest - 1, Kind.JSON, null))
        .isInstanceOf(TargetTooSmallException.class);
  }

  @Test
  void textThatIsNotJsonIsCompressedAsLinesAndKeepsItsErrors() {
    StringBuilder text = new StringBuilder("{ \"broken\": \n");
    for (int i = 0; i < 2000; i++) {
      text.append("  \"k").append(i).append("\": \"value number ").append(i).append("\",\n");
    }
    text.insert(text.length() / 2, "FATAL: truncated upload\n");

    CompressionResult result = compression.compressLocally(text.toString(), 150, Kind.JSON, null);

    assertThat(result.text()).contains("FATAL: truncated upload");
    assertThat(result.tokens()).isLessThanOrEqualTo(150);
  }
}
