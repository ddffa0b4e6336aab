package dev.helix.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CompressionRequestTest {
  private static Map<String, Object> body(Object... pairs) {
    Map<String, Object> body = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      body.put((String) pairs[i], pairs[i + 1]);
    }
    return body;
  }

  @Test
  void aFullBodyIsRead() {
    CompressionRequest request = CompressionRequest.fromJson(
        body("text", "hello", "target", 500, "kind", "JSON", "query", "errors", "extra", true));

    assertThat(request).isEqualTo(new CompressionRequest("hello", 500, Kind.JSON, "errors"));
  }

  @Test
  void onlyTextIsRequired() {
    assertThat(CompressionRequest.fromJson(body("text", "x"))).isEqualTo(new CompressionRequest("x", null, Kind.AUTO, null));
    assertThat(CompressionRequest.fromJson(body("text", "x", "target", 120.0)).target()).isEqualTo(120);
  }

  @Test
  void aMissingOrNonStringTextIsRefusedByName() {
    assertThatThrownBy(() -> CompressionRequest.fromJson(body())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("text: required");
    assertThatThrownBy(() -> CompressionRequest.fromJson(body("text", List.of("a"))))
        .hasMessageStartingWith("text: must be a JSON string");
  }

  @Test
  void anUnknownKindNamesTheAllowedValues() {
    assertThatThrownBy(() -> CompressionRequest.fromJson(body("text", "x", "kind", "yaml")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("kind: unknown value 'yaml'; use one of: auto, json, log, diff, code, prose");
    assertThatThrownBy(() -> CompressionRequest.fromJson(body("text", "x", "kind", 3)))
        .hasMessageContaining("kind: must be a string, one of: auto, json, log, diff, code, prose");
  }

  @Test
  void aTargetThatIsNotAPositiveWholeNumberIsRefused() {
    for (Object bad : List.of(0, -5, 1.5, "300", Long.MAX_VALUE, true)) {
      assertThatThrownBy(() -> CompressionRequest.fromJson(body("text", "x", "target", bad)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("target: must be a whole number of tokens");
    }
  }

  @Test
  void aNonStringQueryIsRefused() {
    assertThatThrownBy(() -> CompressionRequest.fromJson(body("text", "x", "query", Map.of())))
        .hasMessageStartingWith("query: must be a string");
  }

  @Test
  void theResultJsonHasExactlyTheDocumentedFields() {
    CompressionResult result = new CompressionResult("t", 1, Kind.LOG, 9, CompressionResult.Via.HEADROOM);

    assertThat(result.toJson()).containsExactly(Map.entry("text", "t"), Map.entry("tokens", 1),
        Map.entry("kind", "log"), Map.entry("omitted", 9), Map.entry("via", "headroom"));
  }
}
