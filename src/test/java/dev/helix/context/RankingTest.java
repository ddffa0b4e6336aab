package dev.helix.context;

import static org.assertj.core.api.Assertions.assertThat;

import dev.helix.compress.Tokens;
import dev.helix.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RankingTest {
  @TempDir Path dir;

  private LocalContextService open() throws Exception {
    Path store = dir.resolve("store");
    return new LocalContextService(Store.openWritable(store), null, ContextServices.lazy(Tokens::new), Clock.systemUTC(),
        2_097_152, store, true);
  }

  @Test
  void theWindowCitesFiveFilesBeforeFillingUpWithTheFirstFilesChunks() throws Exception {
    Path tree = Files.createDirectories(dir.resolve("tree"));
    // One file with many matching declarations, and five files with one each.
    StringBuilder big = new StringBuilder("package demo;\n\npublic final class Eviction {\n");
    for (int i = 0; i < 12; i++) {
      big.append("  /** Evicts cache entries by policy ").append(i).append(": the eviction of a cache entry. */\n")
          .append("  void evict").append(i).append("() {\n").append("    // body\n".repeat(40)).append("  }\n\n");
    }
    Files.writeString(tree.resolve("Eviction.java"), big.append("}\n").toString());
    for (String name : List.of("Alpha", "Beta", "Gamma", "Delta", "Epsilon")) {
      Files.writeString(tree.resolve(name + ".java"),
          "/** A cache that evicts an entry now and then. */\npublic final class " + name + " {}\n");
    }
    try (LocalContextService s = open()) {
      s.ingest(List.of(tree), IngestProgress.NONE);

      ContextAnswer a = s.context(new ContextRequest("how are cache entries evicted", 6000, 8));

      List<String> cited = a.citations().stream().map(c -> Path.of(c.source()).getFileName().toString()).toList();
      assertThat(cited).hasSize(8).first().isEqualTo("Eviction.java");
      assertThat(cited.stream().distinct()).hasSize(5);
    }
  }
}
