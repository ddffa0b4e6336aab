package dev.helix.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.helix.context.Citation;
import dev.helix.context.ContextAnswer;
import dev.helix.context.Health;
import dev.helix.context.MissReason;
import dev.helix.context.Recommendation;
import dev.helix.context.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContextInjectionTest {
  private final ObjectMapper mapper = new ObjectMapper();

  static ContextAnswer know() {
    return new ContextAnswer(
        new Verdict.Know(0.9, 12.5, 4.0),
        "class Foo { int bar() { return 42; } }",
        List.of(
            new Citation("0123456789abcdef", "src/Foo.java", 3, 9, 12.5, false),
            new Citation("fedcba9876543210", "docs/foo.md", 1, 4, 8.0, false)),
        new Health(Health.Status.ALIGNED, 0.9, 1.0),
        Recommendation.TRUST,
        3,
        List.of());
  }

  static ContextAnswer miss(MissReason reason, String context) {
    return new ContextAnswer(
        new Verdict.Miss(reason, List.of("web"), List.of("src/Foo.java")),
        context,
        context.isEmpty()
            ? List.of()
            : List.of(new Citation("0123456789abcdef", "src/Foo.java", 3, 9, 1.5, true)),
        new Health(Health.Status.STALE, 0.3, 0.0),
        Recommendation.REFRESH,
        3,
        List.of());
  }

  private ArrayNode messages(String json) throws Exception {
    return (ArrayNode) mapper.readTree(json);
  }

  @Test
  void queryIsTheLastUserMessage() throws Exception {
    ArrayNode m =
        messages(
            """
        [{"role":"user","content":"first"},{"role":"assistant","content":"ok"},{"role":"user","content":"second"}]""");
    assertThat(ContextInjection.query(m)).contains("second");
  }

  @Test
  void queryJoinsTheTextPartsOfArrayContent() throws Exception {
    ArrayNode m =
        messages(
            """
        [{"role":"user","content":[{"type":"text","text":"what does"},
          {"type":"image_url","image_url":{"url":"data:x"}},{"type":"text","text":"Foo do?"}]}]""");
    assertThat(ContextInjection.query(m)).contains("what does\nFoo do?");
  }

  @Test
  void noUserMessageMeansNoQuery() throws Exception {
    assertThat(ContextInjection.query(messages("[{\"role\":\"system\",\"content\":\"be brief\"}]")))
        .isEmpty();
  }

  @Test
  void knowAddsADelimitedBlockWithCitations() {
    String block = ContextInjection.block(know(), false).orElseThrow();
    assertThat(block)
        .startsWith("<<<helix-context verdict=know chunks=2>>>")
        .endsWith(ContextInjection.END)
        .contains("class Foo { int bar() { return 42; } }")
        .contains("[1] src/Foo.java:3-9 (chunk 0123456789abcdef, score 12.500)")
        .contains("[2] docs/foo.md:1-4")
        .doesNotContain("WARNING");
  }

  @Test
  void aSparseMissBringsOnlyItsCitedLocationsUnderAWarning() {
    assertThat(
            ContextInjection.block(miss(MissReason.SPARSE, "weak evidence"), false).orElseThrow())
        .contains("verdict=miss reason=sparse")
        .contains("WARNING: helix verdict is miss (sparse)")
        .contains("[1] src/Foo.java:3-9")
        .doesNotContain("weak evidence");
  }

  @Test
  void aSparseMissBringsItsWholeWindowWhenConfiguredTo() {
    assertThat(ContextInjection.block(miss(MissReason.SPARSE, "weak evidence"), true).orElseThrow())
        .contains("WARNING: helix verdict is miss (sparse)")
        .contains("weak evidence")
        .contains("[1] src/Foo.java:3-9");
  }

  @Test
  void aStaleMissIsAddedWithItsWindowUnderAWarning() {
    assertThat(ContextInjection.block(miss(MissReason.STALE, "old evidence"), false).orElseThrow())
        .contains("WARNING: helix verdict is miss (stale)")
        .contains("refresh: src/Foo.java")
        .contains("old evidence")
        .contains("STALE)");
  }

  @Test
  void noMatchAddsNothing() {
    assertThat(ContextInjection.block(miss(MissReason.NO_MATCH, ""), true)).isEmpty();
    assertThat(ContextInjection.block(miss(MissReason.NO_MATCH, "anything"), true)).isEmpty();
  }

  @Test
  void blockGoesIntoTheFirstSystemMessageAndHistoryIsKept() throws Exception {
    ArrayNode m =
        messages(
            """
        [{"role":"system","content":"be brief"},{"role":"user","content":"hi"},
         {"role":"assistant","content":"hello"},{"role":"system","content":"second"},{"role":"user","content":"Foo?"}]""");
    ArrayNode before = m.deepCopy();
    ContextInjection.inject(m, "BLOCK");
    assertThat(m).hasSize(5);
    assertThat(m.get(0).path("content").asText()).isEqualTo("be brief\n\nBLOCK");
    for (int i = 1; i < 5; i++) {
      assertThat(m.get(i)).isEqualTo(before.get(i));
    }
  }

  @Test
  void systemMessageIsCreatedWithStringContentWhenAbsent() throws Exception {
    ArrayNode m = messages("[{\"role\":\"user\",\"content\":\"Foo?\"}]");
    ContextInjection.inject(m, "BLOCK");
    assertThat(m.toString())
        .isEqualTo(
            "[{\"role\":\"system\",\"content\":\"BLOCK\"},{\"role\":\"user\",\"content\":\"Foo?\"}]");
  }

  @Test
  void systemMessageWithArrayContentGetsATextPart() throws Exception {
    ArrayNode m =
        messages(
            """
        [{"role":"system","content":[{"type":"text","text":"be brief"}]},{"role":"user","content":"Foo?"}]""");
    ContextInjection.inject(m, "BLOCK");
    assertThat(m.get(0).path("content").toString())
        .isEqualTo(
            "[{\"type\":\"text\",\"text\":\"be brief\"},{\"type\":\"text\",\"text\":\"BLOCK\"}]");
  }
}
