package dev.helix.context;

import static org.assertj.core.api.Assertions.assertThat;

import dev.helix.store.Store;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnalysisTest {
  @TempDir Path dir;

  @Test
  void identifiersAreKeptWholeAndSplitOnCamelAndSnakeCase() throws Exception {
    try (Store store = Store.openWritable(dir)) {
      assertThat(store.terms("LoadingCache max_file_bytes"))
          .contains("loadingcache", "load", "cache", "max_file_bytes", "max", "file", "byte");
    }
  }

  @Test
  void stopWordsAreDroppedAndPluralsMeetSingularsWhileTheWordAsWrittenIsKept() throws Exception {
    try (Store store = Store.openWritable(dir)) {
      assertThat(store.terms("the caches of a map")).containsExactly("caches", "cache", "map");
    }
  }

  @Test
  void aProseQuestionFindsACamelCaseIdentifier() throws Exception {
    try (Store store = Store.openWritable(dir)) {
      String text = "public final class EvictionQueue { void evictOldest() {} }";
      store.replace(
          new Store.Source("/x/EvictionQueue.java", 1, 1, "h", 1, true),
          java.util.List.of(
              new Store.Chunk(
                  "c1", "/x/EvictionQueue.java", 1, 1, text, "code", "java", 1, 1, null)));
      store.replace(
          new Store.Source("/x/Other.java", 1, 1, "h", 1, true),
          java.util.List.of(
              new Store.Chunk(
                  "c2",
                  "/x/Other.java",
                  1,
                  1,
                  "class Other { int queueSize; }",
                  "code",
                  "java",
                  1,
                  1,
                  null)));
      store.commit();

      assertThat(store.lexical("how is the oldest entry evicted", 5))
          .first()
          .satisfies(h -> assertThat(h.chunk().id()).isEqualTo("c1"));
    }
  }
}
