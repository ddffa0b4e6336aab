package dev.helix.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helix.text.Json;
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

  private static final ObjectMapper MAPPER = Json.mapper();

  private static CompressionRequest read(Map<String, Object> body) {
    return CompressionRequest.read(MAPPER, MAPPER.valueToTree(body));
  }

  @Test
  void aFullBodyIsRead() {
    CompressionRequest request =
        read(
            body("text", "hello", "target", 500, "kind", "JSON", "query", "errors", "extra", true));

    assertThat(request).isEqualTo(new CompressionRequest("hello", 500, Kind.JSON, "errors"));
  }

  @Test
  void onlyTextIsRequired() {
    assertThat(read(body("text", "x")))
        .isEqualTo(new CompressionRequest("x", null, Kind.AUTO, null));
    assertThat(read(body("text", "x", "target", 120.0)).target()).isEqualTo(120);
  }

  @Test
  void aMissingOrNonStringTextIsRefusedByName() {
    assertThatThrownBy(() -> read(body()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("text: required");
    assertThatThrownBy(() -> read(body("text", List.of("a"))))
        .hasMessageStartingWith("text: must be a JSON string");
  }

  @Test
  void anUnknownKindNamesTheAllowedValues() {
    assertThatThrownBy(() -> read(body("text", "x", "kind", "yaml")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("kind: unknown value 'yaml'; use one of: auto, json, log, diff, code, prose");
    assertThatThrownBy(() -> read(body("text", "x", "kind", 3)))
        .hasMessageContaining("kind: must be a string, one of: auto, json, log, diff, code, prose");
  }

  @Test
  void aTargetThatIsNotAPositiveWholeNumberIsRefused() {
    for (Object bad : List.of(0, -5, 1.5, "300", Long.MAX_VALUE, true)) {
      assertThatThrownBy(() -> read(body("text", "x", "target", bad)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("target: must be a whole number of tokens");
    }
  }

  @Test
  void aNonStringQueryIsRefused() {
    assertThatThrownBy(() -> read(body("text", "x", "query", Map.of())))
        .hasMessageStartingWith("query: must be a string");
  }

  @Test
  void theResultJsonHasExactlyTheDocumentedFields() {
    CompressionResult result =
        new CompressionResult("t", 1, Kind.LOG, 9, CompressionResult.Via.HEADROOM);

    assertThat(MAPPER.convertValue(result, new TypeReference<Map<String, Object>>() {}))
        .containsExactly(
            Map.entry("text", "t"),
            Map.entry("tokens", 1),
            Map.entry("kind", "log"),
            Map.entry("omitted", 9),
            Map.entry("via", "headroom"));
  }

  @Test
  void theBadFieldIsJacksonsPathToIt() {
    assertThatThrownBy(() -> read(body("text", "x", "target", "300")))
        .isInstanceOfSatisfying(
            CompressionRequest.InvalidField.class,
            e -> {
              assertThat(e.field()).isEqualTo("target");
              assertThat(e.getCause())
                  .isInstanceOfSatisfying(
                      JsonMappingException.class,
                      cause ->
                          assertThat(cause.getPath().getLast().getFieldName()).isEqualTo("target"));
            });
    assertThatThrownBy(() -> read(body("target", 10)))
        .isInstanceOfSatisfying(
            CompressionRequest.InvalidField.class, e -> assertThat(e.field()).isEqualTo("text"));
  }
}
