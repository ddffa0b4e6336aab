package dev.helix.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.helix.compress.Tokens;
import dev.helix.config.HelixConfig;
import dev.helix.text.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContextServiceTest {
  /** What the shared mapper writes for {@code value}, as a map. */
  private static Map<String, Object> json(Object value) {
    return Json.mapper().convertValue(value, new TypeReference<Map<String, Object>>() {});
  }

  @TempDir Path dir;
  Path tree;
  HelixConfig config;
  final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

  static final String CACHE =
      """
      package demo;

      import java.util.LinkedHashMap;

      /**
       * A bounded cache that evicts the least recently used entry when it is full.
       */
      public final class LruCache<K, V> {
        private final LinkedHashMap<K, V> map = new LinkedHashMap<>(16, 0.75f, true);
        private final int capacity;

        public LruCache(int capacity) {
          this.capacity = capacity;
        }

        /** Stores a value, evicting the eldest entry once the capacity is exceeded. */
        public void put(K key, V value) {
          map.put(key, value);
          if (map.size() > capacity) {
            map.remove(map.keySet().iterator().next());
          }
        }
      }
      """;

  static final String RETRY =
      """
      package demo;

      /** Retries a failing network call with exponential backoff and jitter. */
      public final class RetryPolicy {
        /** Waits twice as long after each failure, capped at the maximum delay. */
        public long delayMillis(int attempt) {
          return Math.min(60_000, 100L << attempt);
        }
      }
      """;

  @BeforeEach
  void setUp() throws Exception {
    tree = dir.resolve("tree");
    TestConfigs.write(tree.resolve("src/LruCache.java"), CACHE);
    TestConfigs.write(tree.resolve("src/RetryPolicy.java"), RETRY);
    TestConfigs.write(
        tree.resolve("docs/guide.md"),
        "# Guide\n\nRun the server with helix serve and ingest your notes.\n");
    TestConfigs.write(tree.resolve(".gitignore"), "build/\n*.secret\n");
    TestConfigs.write(
        tree.resolve("build/Generated.java"), "class Generated { /* evicts caches */ }\n");
    TestConfigs.write(tree.resolve("keys.secret"), "password = hunter2\n");
    Files.write(tree.resolve("logo.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 0, 13});
    TestConfigs.write(tree.resolve("huge.txt"), "big line\n".repeat(300));
    config = TestConfigs.store(dir, false, 2000);
  }

  private ContextService open() throws Exception {
    return ContextServices.open(config, clock, false);
  }

  private static ContextRequest ask(String q) {
    return new ContextRequest(q, 2000, 4);
  }

  @Test
  void ingestIndexesTextAndCountsWhatItSkipped() throws Exception {
    try (ContextService s = open()) {
      IngestReport r = s.ingest(List.of(tree), IngestProgress.NONE);

      assertThat(r.files()).isEqualTo(4); // two sources, the guide, and .gitignore itself
      assertThat(r.skippedBinary()).isEqualTo(1);
      assertThat(r.skippedTooLarge()).isEqualTo(1);
      assertThat(json(r)).containsKey("store");
      assertThat(s.stats().sources()).isEqualTo(4);
      String all = s.context(new ContextRequest("Generated hunter2 password", 4000, 8)).context();
      assertThat(all).doesNotContain("hunter2").doesNotContain("class Generated");
    }
  }

  @Test
  void reIngestSkipsUnchangedReplacesChangedAndRemovesDeletedWithoutDuplicates() throws Exception {
    try (ContextService s = open()) {
      s.ingest(List.of(tree), IngestProgress.NONE);
      long chunks = s.stats().chunks();

      IngestReport again = s.ingest(List.of(tree), IngestProgress.NONE);
      assertThat(again.files()).isZero();
      assertThat(again.unchanged()).isEqualTo(4);
      assertThat(s.stats().chunks()).isEqualTo(chunks);

      Path retry = tree.resolve("src/RetryPolicy.java");
      Files.writeString(retry, RETRY.replace("jitter", "full jitter"));
      Files.setLastModifiedTime(retry, FileTime.from(Instant.now().plusSeconds(5)));
      Files.delete(tree.resolve("docs/guide.md"));
      IngestReport changed = s.ingest(List.of(tree), IngestProgress.NONE);

      assertThat(changed.files()).isEqualTo(1);
      assertThat(changed.removed()).isEqualTo(1);
      assertThat(s.stats().sources()).isEqualTo(3);
      ContextAnswer a = s.context(ask("retry with exponential backoff and full jitter"));
      assertThat(a.citations()).extracting(Citation::source).containsOnlyOnce(retry.toString());
    }
  }

  @Test
  void aQuestionTheTreeAnswersIsKnownWithOneBasedCitations() throws Exception {
    try (ContextService s = open()) {
      s.ingest(List.of(tree), IngestProgress.NONE);

      ContextAnswer a =
          s.context(ask("which cache evicts the least recently used entry when full"));

      assertThat(a.verdict()).isInstanceOf(Verdict.Know.class);
      assertThat(a.recommendation()).isEqualTo(Recommendation.TRUST);
      Citation top = a.citations().getFirst();
      assertThat(top.source()).endsWith("LruCache.java");
      assertThat(top.startLine()).isEqualTo(1);
      assertThat(top.endLine()).isEqualTo(CACHE.lines().count());
      assertThat(a.context()).contains("LruCache.java:1-").contains("least recently used");
      assertThat(json(a))
          .containsEntry("verdict", "know")
          .containsKeys("confidence", "top_score", "score_gap");
    }
  }

  @Test
  void anUnrelatedQuestionIsAnHonestMissWithNothingToAnswerFrom() throws Exception {
    try (ContextService s = open()) {
      s.ingest(List.of(tree), IngestProgress.NONE);

      ContextAnswer a = s.context(ask("sourdough bread baking temperature"));

      assertThat(a.verdict())
          .isEqualTo(new Verdict.Miss(MissReason.NO_MATCH, Verdicts.ESCALATE, List.of()));
      assertThat(a.context()).isEmpty();
      assertThat(a.health().status()).isEqualTo(Health.Status.ABSTAIN);
      assertThat(json(a)).containsEntry("do_not_answer_from_context", true);
    }
  }

  @Test
  void aWeakPartialMatchIsASparseMissThatStillShowsItsEvidence() throws Exception {
    try (ContextService s = open()) {
      s.ingest(List.of(tree), IngestProgress.NONE);

      ContextAnswer a =
          s.context(ask("evict cache entries across distributed kubernetes clusters"));

      assertThat(a.verdict())
          .isInstanceOfSatisfying(
              Verdict.Miss.class, m -> assertThat(m.reason()).isEqualTo(MissReason.SPARSE));
      assertThat(a.citations()).isNotEmpty();
      assertThat(a.context()).isNotEmpty();
      assertThat(a.health().status()).isEqualTo(Health.Status.SPARSE);
    }
  }

  @Test
  void aQuestionWhoseWordsAreScatteredOverUnrelatedFilesIsASparseMissNotAKnow() throws Exception {
    try (ContextService s = open()) {
      s.ingest(List.of(tree), IngestProgress.NONE);

      // Every word is in the store, but in three files that each answer a third of the question.
      ContextAnswer a =
          s.context(ask("evict cache entries, retry with backoff, and run the server"));

      assertThat(a.verdict())
          .isInstanceOfSatisfying(
              Verdict.Miss.class, m -> assertThat(m.reason()).isEqualTo(MissReason.SPARSE));
      assertThat(a.health().coverage()).isLessThan(0.5);
    }
  }

  @Test
  void staleSourceGivesMissWithRefreshTarget() throws Exception {
    try (ContextService s = open()) {
      s.ingest(List.of(tree), IngestProgress.NONE);
      Path cache = tree.resolve("src/LruCache.java");
      Files.writeString(cache, CACHE.replace("least recently used", "most recently used"));

      ContextAnswer a =
          s.context(ask("which cache evicts the least recently used entry when full"));

      assertThat(a.verdict())
          .isInstanceOfSatisfying(
              Verdict.Miss.class,
              m -> {
                assertThat(m.reason()).isEqualTo(MissReason.STALE);
                assertThat(m.refreshTargets()).containsExactly(cache.toString());
              });
      assertThat(a.citations().getFirst().stale()).isTrue();
      assertThat(a.context()).contains("least recently used");
      assertThat(a.recommendation()).isEqualTo(Recommendation.REFRESH);
    }
  }

  @Test
  void aVanishedSourceIsStaleAndATouchedOneIsNot() throws Exception {
    try (ContextService s = open()) {
      s.ingest(List.of(tree), IngestProgress.NONE);
      Path retry = tree.resolve("src/RetryPolicy.java");
      Files.setLastModifiedTime(retry, FileTime.from(Instant.now().plusSeconds(60)));
      Path cache = tree.resolve("src/LruCache.java");
      Files.delete(cache);

      assertThat(s.context(ask("retry a failing network call with exponential backoff")).verdict())
          .isInstanceOf(Verdict.Know.class);
      assertThat(
              s.context(ask("which cache evicts the least recently used entry when full"))
                  .verdict())
          .isInstanceOfSatisfying(
              Verdict.Miss.class, m -> assertThat(m.reason()).isEqualTo(MissReason.STALE));
    }
  }

  @Test
  void postedContentIsSearchableAndNeverStale() throws Exception {
    try (ContextService s = open()) {
      IngestedContent posted =
          s.ingestContent(
              "The deploy runbook: rotate the signing keys every ninety days.",
              ContentType.TEXT,
              null);

      assertThat(posted.chunkIds()).hasSize(1);
      ContextAnswer a =
          s.context(ask("how often are the signing keys rotated in the deploy runbook"));
      assertThat(a.verdict()).isInstanceOf(Verdict.Know.class);
      assertThat(a.citations().getFirst().stale()).isFalse();
      assertThatThrownBy(() -> s.ingestContent("bad\0byte", ContentType.TEXT, null))
          .hasMessageContaining("NUL");
      assertThatThrownBy(() -> s.ingestContent("  ", ContentType.TEXT, null))
          .hasMessageContaining("empty");
    }
  }

  @Test
  void theWindowStaysWithinItsTokenBudgetAndCutsAtLineBoundaries() throws Exception {
    StringBuilder big =
        new StringBuilder("package demo;\n\n/** Parses configuration files. */\nclass Parser {\n");
    for (int i = 0; i < 25; i++) {
      big.append("  int field").append(i).append(" = ").append(i).append(";\n");
    }
    big.append("  // the tokenizer handles escaped quotes inside strings\n");
    for (int i = 25; i < 50; i++) {
      big.append("  int field").append(i).append(" = ").append(i).append(";\n");
    }
    big.append("}\n");
    TestConfigs.write(tree.resolve("src/Parser.java"), big.toString());
    try (ContextService s = open()) {
      s.ingest(List.of(tree), IngestProgress.NONE);

      ContextAnswer a =
          s.context(new ContextRequest("tokenizer escaped quotes inside strings", 120, 4));

      assertThat(new Tokens().count(a.context())).isLessThanOrEqualTo(120);
      assertThat(a.context()).contains("escaped quotes inside strings");
      Citation c = a.citations().getFirst();
      List<String> fileLines = Files.readAllLines(tree.resolve("src/Parser.java"));
      String shown = a.context().substring(a.context().indexOf('\n') + 1);
      assertThat(shown.split("\n"))
          .isEqualTo(fileLines.subList(c.startLine() - 1, c.endLine()).toArray(String[]::new));
    }
  }

  @Test
  void packetsHoldEditToAStricterFreshnessBarThanExplain() throws Exception {
    try (ContextService s = open()) {
      s.ingest(List.of(tree), IngestProgress.NONE);
      Path cache = tree.resolve("src/LruCache.java");
      // An edit elsewhere in the file: the chunk's own text is still there, one line lower.
      Files.writeString(cache, "// header comment\n" + CACHE);

      String q = "which cache evicts the least recently used entry when full";
      PacketAnswer explain = s.packet(new PacketRequest(q, TaskType.EXPLAIN, 4));
      PacketAnswer edit = s.packet(new PacketRequest(q, TaskType.EDIT, 4));

      assertThat(explain.verdict()).isInstanceOf(Verdict.Know.class);
      assertThat(explain.verified()).extracting(PacketItem::source).contains(cache.toString());
      assertThat(edit.verdict())
          .isInstanceOfSatisfying(
              Verdict.Miss.class, m -> assertThat(m.reason()).isEqualTo(MissReason.STALE));
      assertThat(edit.staleRisk()).extracting(PacketItem::source).contains(cache.toString());
      assertThat(edit.refreshTargets()).contains(cache.toString());
      Map<String, Object> json = json(explain);
      assertThat(json).containsKeys("verdict", "verified", "stale_risk", "refresh_targets");
    }
  }

  @Test
  void aSecondWriterIsToldWhoHoldsTheStore() throws Exception {
    try (ContextService s = open()) {
      assertThatThrownBy(this::open)
          .hasMessageContaining("already open for writing")
          .hasMessageContaining("pid " + ProcessHandle.current().pid());
    }
  }

  @Test
  void aReadOnlyServiceSeesTheWritersCommitsWhileItWrites() throws Exception {
    try (ContextService writer = open();
        ContextService reader = ContextServices.open(config, clock, true)) {
      assertThat(reader.context(ask("least recently used cache")).verdict())
          .isInstanceOf(Verdict.Miss.class);
      writer.ingest(List.of(tree), IngestProgress.NONE);
      Thread.sleep(600); // the read-only store looks for new commits at most every 500 ms

      assertThat(
              reader
                  .context(ask("which cache evicts the least recently used entry when full"))
                  .verdict())
          .isInstanceOf(Verdict.Know.class);
      assertThatThrownBy(() -> reader.ingest(List.of(tree), IngestProgress.NONE))
          .hasMessageContaining("read-only");
    }
  }

  @Test
  void aQueryBeforeAnyIngestIsAMissThatSaysHowToFillTheStore() throws Exception {
    try (ContextService reader = ContextServices.open(config, clock, true)) {
      ContextAnswer a = reader.context(ask("anything at all"));

      assertThat(a.verdict()).isInstanceOf(Verdict.Miss.class);
      assertThat(a.warnings())
          .anySatisfy(w -> assertThat(w).contains("empty").contains("helix ingest"));
      assertThat(reader.stats().chunks()).isZero();
    }
  }

  @Test
  void queriesRunWhileAnIngestWritesAndEveryAnswerIsComplete() throws Exception {
    for (int i = 0; i < 150; i++) {
      TestConfigs.write(
          tree.resolve("gen/G" + i + ".java"),
          "/** Generated helper "
              + i
              + " for parsing. */\nclass G"
              + i
              + " {\n  int parse"
              + i
              + "() { return "
              + i
              + "; }\n}\n");
    }
    try (ContextService s = open()) {
      s.ingest(List.of(tree.resolve("src")), IngestProgress.NONE);
      java.util.concurrent.ExecutorService pool =
          java.util.concurrent.Executors.newFixedThreadPool(3);
      try {
        java.util.concurrent.Future<IngestReport> ingest =
            pool.submit(() -> s.ingest(List.of(tree), IngestProgress.NONE));
        List<java.util.concurrent.Future<ContextAnswer>> answers = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
          answers.add(
              pool.submit(
                  () ->
                      s.context(
                          ask("which cache evicts the least recently used entry when full"))));
        }
        for (java.util.concurrent.Future<ContextAnswer> a : answers) {
          assertThat(a.get().verdict()).isInstanceOf(Verdict.Know.class);
          assertThat(a.get().citations().getFirst().source()).endsWith("LruCache.java");
        }
        assertThat(ingest.get().files()).isEqualTo(152); // 150 generated, the guide, .gitignore
      } finally {
        pool.shutdownNow();
      }
      assertThat(s.stats().sources()).isEqualTo(154);
    }
  }

  @Test
  void statsCountTheChunksStillWaitingForVectorsOnlyWhenVectorsAreOn(@TempDir Path other)
      throws Exception {
    try (ContextService s = open()) {
      s.ingest(List.of(tree), IngestProgress.NONE);
      assertThat(s.stats().vectorsPending()).isNull();
      assertThat(json(s.stats())).doesNotContainKey("vectors_pending");
    }
    try (ContextService s =
        ContextServices.open(TestConfigs.store(other, true, 2000), clock, false)) {
      s.ingest(List.of(tree), IngestProgress.NONE);
      s.awaitVectors(IngestProgress.NONE);
      assertThat(json(s.stats())).containsEntry("vectors_pending", 0L);
    }
  }

  @Test
  void aSmallStoreKnowsWhatItHoldsThoughItNeverWritesTheQuestionsFunctionWords(@TempDir Path other)
      throws Exception {
    Path notes =
        TestConfigs.write(
            other.resolve("notes/notes.md"),
            "# Notes\n\nThe cache evicts the least recently used entry.\n");
    try (ContextService s =
        ContextServices.open(TestConfigs.store(other, false, 2000), clock, false)) {
      s.ingest(List.of(notes.getParent()), IngestProgress.NONE);

      ContextAnswer a = s.context(ask("which entry does the cache evict"));

      assertThat(a.verdict()).isInstanceOf(Verdict.Know.class);
    }
  }
}
