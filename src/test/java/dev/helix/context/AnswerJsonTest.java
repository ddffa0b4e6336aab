package dev.helix.context;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helix.compress.CompressionResult;
import dev.helix.compress.Kind;
import dev.helix.text.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The wire format of every answer record, byte for byte as the hand-built maps wrote it before the
 * records were serialised by the shared mapper (the expected strings are that old output), and each
 * answer read back into the record it came from, as the CLI reads a server's answers.
 */
class AnswerJsonTest {
  private static final ObjectMapper JSON = Json.mapper();
  private static final Citation CITATION = new Citation("c1", "/a/B.java", 3, 9, 0.75, false);
  private static final PacketItem ITEM =
      new PacketItem(
          "c1",
          "/a",
          List.of(1, 2),
          0.5,
          "moved",
          false,
          "2024-01-01T00:00:00Z",
          "2024-01-02T00:00:00Z",
          5,
          "code",
          "java",
          "x");

  private static void writesExactlyAndReadsBack(Object value, String expected) throws Exception {
    String written = JSON.writeValueAsString(value);
    assertThat(written).isEqualTo(expected);
    assertThat(JSON.readValue(written, value.getClass())).isEqualTo(value);
  }

  @Test
  void aKnowAnswerPutsTheVerdictsFieldsBesideItAndPairsCitationLines() throws Exception {
    writesExactlyAndReadsBack(
        new ContextAnswer(
            new Verdict.Know(0.9, 1.0, 0.25),
            "ctx",
            List.of(CITATION),
            new Health(Health.Status.ALIGNED, 0.5, 1.0),
            Recommendation.TRUST,
            12,
            List.of("w1"),
            7),
        "{\"verdict\":\"know\",\"confidence\":0.9,\"top_score\":1.0,\"score_gap\":0.25,\"context\":\"ctx\",\"citations\":[{\"chunk_id\":\"c1\",\"source\":\"/a/B.java\",\"lines\":[3,9],\"score\":0.75,\"stale\":false}],\"health\":{\"status\":\"aligned\",\"coverage\":0.5,\"freshness\":1.0},\"recommendation\":\"trust\",\"latency_ms\":12,\"warnings\":[\"w1\"],\"index_version\":7}");
  }

  @Test
  void aMissAnswerSaysNotToAnswerFromTheContextAndWhatToRefresh() throws Exception {
    writesExactlyAndReadsBack(
        new ContextAnswer(
            new Verdict.Miss(MissReason.STALE, List.of("web"), List.of("/a/B.java")),
            "",
            List.of(),
            new Health(Health.Status.STALE, 0.0, 0.0),
            Recommendation.REFRESH,
            3,
            List.of()),
        "{\"verdict\":\"miss\",\"reason\":\"stale\",\"escalate_to\":[\"web\"],\"refresh_targets\":[\"/a/B.java\"],\"do_not_answer_from_context\":true,\"context\":\"\",\"citations\":[],\"health\":{\"status\":\"stale\",\"coverage\":0.0,\"freshness\":0.0},\"recommendation\":\"refresh\",\"latency_ms\":3,\"warnings\":[],\"index_version\":0}");
    writesExactlyAndReadsBack(
        new ContextAnswer(
            new Verdict.Miss(MissReason.NO_MATCH, List.of("web", "docs"), List.of()),
            "",
            List.of(),
            new Health(Health.Status.ABSTAIN, 0.0, 1.0),
            Recommendation.ESCALATE,
            3,
            List.of()),
        "{\"verdict\":\"miss\",\"reason\":\"no_match\",\"escalate_to\":[\"web\",\"docs\"],\"refresh_targets\":[],\"do_not_answer_from_context\":true,\"context\":\"\",\"citations\":[],\"health\":{\"status\":\"abstain\",\"coverage\":0.0,\"freshness\":1.0},\"recommendation\":\"escalate\",\"latency_ms\":3,\"warnings\":[],\"index_version\":0}");
  }

  @Test
  void aPacketCarriesRefreshTargetsOnceAtItsOwnLevel() throws Exception {
    writesExactlyAndReadsBack(
        new PacketAnswer(
            new Verdict.Miss(MissReason.SPARSE, List.of("web"), List.of("/a")),
            List.of(ITEM),
            List.of(ITEM),
            List.of("/a"),
            4),
        "{\"verdict\":\"miss\",\"reason\":\"sparse\",\"escalate_to\":[\"web\"],\"do_not_answer_from_context\":true,\"verified\":[{\"chunk_id\":\"c1\",\"source\":\"/a\",\"lines\":[1,2],\"score\":0.5,\"freshness\":\"moved\",\"stale\":false,\"modified_at\":\"2024-01-01T00:00:00Z\",\"indexed_at\":\"2024-01-02T00:00:00Z\",\"age_s\":5,\"content_type\":\"code\",\"language\":\"java\",\"content\":\"x\"}],\"stale_risk\":[{\"chunk_id\":\"c1\",\"source\":\"/a\",\"lines\":[1,2],\"score\":0.5,\"freshness\":\"moved\",\"stale\":false,\"modified_at\":\"2024-01-01T00:00:00Z\",\"indexed_at\":\"2024-01-02T00:00:00Z\",\"age_s\":5,\"content_type\":\"code\",\"language\":\"java\",\"content\":\"x\"}],\"refresh_targets\":[\"/a\"],\"index_version\":4}");
    writesExactlyAndReadsBack(
        new PacketAnswer(new Verdict.Know(0.8, 1, 0.1), List.of(ITEM), List.of(), List.of()),
        "{\"verdict\":\"know\",\"confidence\":0.8,\"top_score\":1.0,\"score_gap\":0.1,\"verified\":[{\"chunk_id\":\"c1\",\"source\":\"/a\",\"lines\":[1,2],\"score\":0.5,\"freshness\":\"moved\",\"stale\":false,\"modified_at\":\"2024-01-01T00:00:00Z\",\"indexed_at\":\"2024-01-02T00:00:00Z\",\"age_s\":5,\"content_type\":\"code\",\"language\":\"java\",\"content\":\"x\"}],\"stale_risk\":[],\"refresh_targets\":[],\"index_version\":0}");
  }

  @Test
  void aRootNamesItsLastSyncAsAnInstantAndItsErrorOnlyWhenItHasOne() throws Exception {
    writesExactlyAndReadsBack(
        new RootStatus(
            "api", "/p/api", 3, 4, 5, RootStatus.State.SYNCED, 1700000000123L, 0, true, null),
        "{\"name\":\"api\",\"path\":\"/p/api\",\"files\":3,\"chunks\":4,\"bytes\":5,\"state\":\"synced\",\"last_sync\":\"2023-11-14T22:13:20.123Z\",\"pending\":0,\"watching\":true}");
    writesExactlyAndReadsBack(
        new RootStatus("web", "/p/web", 0, 0, 0, RootStatus.State.ERROR, 0, 2, false, "gone"),
        "{\"name\":\"web\",\"path\":\"/p/web\",\"files\":0,\"chunks\":0,\"bytes\":0,\"state\":\"error\",\"last_sync\":null,\"pending\":2,\"watching\":false,\"error\":\"gone\"}");
  }

  @Test
  void anIngestReportGroupsSkippedFilesAndAddsItsRates() throws Exception {
    writesExactlyAndReadsBack(
        new IngestReport(1, 2, 3, 4, 5, 6, 3_000_000, 1.5, new StoreStats(7, 8, 9), List.of("api")),
        "{\"files\":1,\"unchanged\":2,\"removed\":3,\"skipped\":{\"binary\":4,\"too_large\":5},\"chunks\":6,\"bytes\":3000000,\"mb\":2.86102294921875,\"seconds\":1.5,\"mb_per_s\":1.9073486328125,\"store\":{\"chunks\":7,\"sources\":8,\"store_bytes\":9},\"roots\":[\"api\"]}");
    writesExactlyAndReadsBack(
        new IngestReport(1, 2, 3, 4, 5, 6, 0, 0, new StoreStats(7, 8, 9, 0L)),
        "{\"files\":1,\"unchanged\":2,\"removed\":3,\"skipped\":{\"binary\":4,\"too_large\":5},\"chunks\":6,\"bytes\":0,\"mb\":0.0,\"seconds\":0.0,\"mb_per_s\":0.0,\"store\":{\"chunks\":7,\"sources\":8,\"store_bytes\":9,\"vectors_pending\":0},\"roots\":[]}");
    writesExactlyAndReadsBack(
        new StoreStats(7, 8, 9, 11L),
        "{\"chunks\":7,\"sources\":8,\"store_bytes\":9,\"vectors_pending\":11}");
  }

  @Test
  void theSmallAnswersKeepTheirShapes() throws Exception {
    writesExactlyAndReadsBack(
        new SourceLines("/a/B.java", 1, 2, 10, "x\ny", true),
        "{\"path\":\"/a/B.java\",\"start\":1,\"end\":2,\"total\":10,\"text\":\"x\\ny\",\"stale\":true}");
    writesExactlyAndReadsBack(
        new IngestedContent(List.of("a", "b")), "{\"chunk_ids\":[\"a\",\"b\"],\"count\":2}");
    writesExactlyAndReadsBack(
        new CompressionResult("t", 1, Kind.LOG, 9, CompressionResult.Via.HEADROOM),
        "{\"text\":\"t\",\"tokens\":1,\"kind\":\"log\",\"omitted\":9,\"via\":\"headroom\"}");
    // The caller named the root it removed, so the answer does not repeat it.
    assertThat(JSON.writeValueAsString(new RemovedRoot("api", 3, 4).answer()))
        .isEqualTo("{\"removed\":{\"sources\":3,\"chunks\":4}}");
    assertThat(
            JSON.readValue("{\"removed\":{\"sources\":3,\"chunks\":4}}", RemovedRoot.Answer.class)
                .removed())
        .isEqualTo(new RemovedRoot("", 3, 4));
  }
}
