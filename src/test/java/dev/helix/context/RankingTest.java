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
    return new LocalContextService(
        Store.openWritable(store),
        null,
        ContextServices.lazy(Tokens::new),
        Clock.systemUTC(),
        2_097_152,
        store,
        true);
  }

  @Test
  void theWindowCitesFiveFilesBeforeFillingUpWithTheFirstFilesChunks() throws Exception {
    Path tree = Files.createDirectories(dir.resolve("tree"));
    // One file with many matching declarations, and five files with one each.
    StringBuilder big = new StringBuilder("package demo;\n\npublic final class Eviction {\n");
    for (int i = 0; i < 12; i++) {
      big.append("  /** Evicts cache entries by policy ")
          .append(i)
          .append(": the eviction of a cache entry. */\n")
          .append("  void evict")
          .append(i)
          .append("() {\n")
          .append("    // body\n".repeat(40))
          .append("  }\n\n");
    }
    Files.writeString(tree.resolve("Eviction.java"), big.append("}\n").toString());
    for (String name : List.of("Alpha", "Beta", "Gamma", "Delta", "Epsilon")) {
      Files.writeString(
          tree.resolve(name + ".java"),
          "/** A cache that evicts an entry now and then. */\npublic final class "
              + name
              + " {}\n");
    }
    try (LocalContextService s = open()) {
      s.ingest(List.of(tree), IngestProgress.NONE);

      ContextAnswer a = s.context(new ContextRequest("how are cache entries evicted", 6000, 8));

      List<String> cited =
          a.citations().stream().map(c -> Path.of(c.source()).getFileName().toString()).toList();
      assertThat(cited).hasSize(8).first().isEqualTo("Eviction.java");
      assertThat(cited.stream().distinct()).hasSize(5);
    }
  }

  @Test
  void aStoreWhoseVectorsAreStillBeingFilledAnswersAsTheLexicalStoreDoes() throws Exception {
    Path tree = Files.createDirectories(dir.resolve("tree"));
    Files.writeString(tree.resolve("LruCache.java"), ContextServiceTest.CACHE);
    Files.writeString(
        tree.resolve("Retry.java"),
        "/** Retries a failing network call with exponential backoff. */\n"
            + "public final class Retry { long delay(int attempt) { return 100L << attempt; } }\n");
    Files.writeString(
        tree.resolve("Server.java"),
        "/** Runs the HTTP server and serves the cache over the network. */\n"
            + "public final class Server { void start() {} }\n");
    String question = "which cache evicts the least recently used entry when full";
    Path storeDir = dir.resolve("store");
    try (Store store = Store.openWritable(storeDir)) {
      LocalContextService lexical =
          new LocalContextService(
              store,
              null,
              ContextServices.lazy(Tokens::new),
              Clock.systemUTC(),
              2_097_152,
              storeDir,
              false);
      lexical.ingest(List.of(tree), IngestProgress.NONE);
      ContextAnswer before = lexical.context(new ContextRequest(question, 6000, 8));
      // Vectors for one source of three, as right after an ingest while the filler works.
      Embedder model = new MiniLmEmbedder();
      String server = tree.resolve("Server.java").toString();
      java.util.Map<String, float[]> vectors = new java.util.HashMap<>();
      for (Store.Chunk c : store.chunksOf(server)) {
        vectors.put(c.id(), model.embed(Embedder.chunkText(c.source(), c.text())));
      }
      store.addVectors(server, store.source(server).orElseThrow().sha256(), vectors);
      LocalContextService filling =
          new LocalContextService(
              store,
              model,
              ContextServices.lazy(Tokens::new),
              Clock.systemUTC(),
              2_097_152,
              storeDir,
              false);

      ContextAnswer during = filling.context(new ContextRequest(question, 6000, 8));

      assertThat(before.verdict()).isInstanceOf(Verdict.Know.class);
      assertThat(during.verdict()).isInstanceOf(Verdict.Know.class);
      assertThat(during.citations().getFirst().source())
          .isEqualTo(before.citations().getFirst().source())
          .endsWith("LruCache.java");
    }
  }
}
