package dev.helix.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.helix.config.OpenSearchConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OpenSearch store meets the store contract, on a real node in a child process. */
class OpenSearchStoreConformanceIT extends StoreConformance {
  private static final AtomicInteger INDEXES = new AtomicInteger();
  private static OpenSearchNode node;
  private String index = "";

  @BeforeAll
  static void startNode() throws Exception {
    node = OpenSearchNode.start();
  }

  @AfterAll
  static void stopNode() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  static OpenSearchConfig config(OpenSearchNode node, String index, String owner) {
    return new OpenSearchConfig(
        List.of(node.url().toString()), index, null, null, null, true, owner);
  }

  @Override
  Store open() throws Exception {
    index = "conformance-" + INDEXES.incrementAndGet();
    return Store.openOpenSearch(config(node, index, "tester@test"));
  }

  /**
   * helix's own sources, cut every 40 lines, in both stores: the same queries find the same chunks
   * and files in the same order with the same BM25 scores, since both index the same terms.
   */
  @Test
  void bothBackendsRankHelixsOwnSourcesAlikeWithTheSameScores(@TempDir Path lucene)
      throws Exception {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(Path.of("src/main/java/dev/helix"))) {
      files = walk.filter(f -> f.toString().endsWith(".java")).sorted().limit(120).toList();
    }
    try (Store embedded = Store.openWritable(lucene);
        Store team = open()) {
      for (Path f : files) {
        List<String> lines = Files.readAllLines(f);
        String path = f.toAbsolutePath().toString();
        List<Store.Chunk> chunks = new ArrayList<>();
        for (int from = 0; from < lines.size(); from += 40) {
          int to = Math.min(lines.size(), from + 40);
          String text = String.join("\n", lines.subList(from, to));
          chunks.add(
              new Store.Chunk(
                  path.hashCode() + "-" + from,
                  path,
                  from + 1,
                  Math.max(from + 1, to),
                  text,
                  "code",
                  "java",
                  1,
                  1,
                  null));
        }
        Store.Source source = new Store.Source(path, 1, lines.size(), "h", 1, true);
        embedded.replace(source, chunks);
        team.replace(source, chunks);
      }
      embedded.commit();
      team.commit();

      for (String q :
          List.of(
              "how does the launcher restart the server after a crash",
              "LoadingCache evict",
              "upstream timeout seconds",
              "parse the toml config and report errors with line and column",
              "bm25 path boost",
              "roots watch rescan")) {
        List<String> terms = embedded.terms(q);
        assertThat(team.terms(q)).isEqualTo(terms);
        List<Store.Hit> want = embedded.lexical(terms, 10);
        List<Store.Hit> got = team.lexical(terms, 10);
        assertThat(got)
            .extracting(h -> h.chunk().id())
            .as(q)
            .isEqualTo(want.stream().map(h -> h.chunk().id()).toList());
        for (int i = 0; i < want.size(); i++) {
          assertThat(got.get(i).score())
              .as(q + " #" + i)
              .isCloseTo(
                  want.get(i).score(), org.assertj.core.data.Percentage.withPercentage(0.01));
        }
        List<Store.SourceHit> wantFiles = embedded.sources(terms, 5);
        List<Store.SourceHit> gotFiles = team.sources(terms, 5);
        assertThat(gotFiles)
            .extracting(Store.SourceHit::source)
            .as(q)
            .isEqualTo(wantFiles.stream().map(Store.SourceHit::source).toList());
      }
    }
  }

  @Test
  void serversOfTwoOwnersShareOneIndexEachKeepingItsOwnSourcesAndRootsAndSearchingAll()
      throws Exception {
    String shared = "owners-" + INDEXES.incrementAndGet();
    try (Store ada = Store.openOpenSearch(config(node, shared, "ada@one"));
        Store bob = Store.openOpenSearch(config(node, shared, "bob@two"))) {
      // The same path, and so the same chunk id, on two machines.
      ada.replace(
          source("/src/A.java", "ha"),
          List.of(chunk("a1", "/src/A.java", 1, "shared parser code")));
      bob.replace(
          source("/src/A.java", "hb"),
          List.of(chunk("a1", "/src/A.java", 1, "shared parser code")));
      ada.putRoot(new Store.Root("src", "/src", 1, null));
      bob.putRoot(new Store.Root("src", "/src", 2, null));
      ada.commit();
      bob.commit();

      assertThat(ada.source("/src/A.java")).get().extracting(Store.Source::sha256).isEqualTo("ha");
      assertThat(bob.source("/src/A.java")).get().extracting(Store.Source::sha256).isEqualTo("hb");
      assertThat(ada.roots()).containsExactly(new Store.Root("src", "/src", 1, null));
      assertThat(ada.lexical("parser", 5)).hasSize(2);

      bob.delete("/src/A.java");
      bob.commit();
      assertThat(ada.chunksOf("/src/A.java")).hasSize(1);
      assertThat(ada.lexical("parser", 5)).hasSize(1);
      assertThat(bob.sourcesUnder("/src")).isEmpty();
    }
  }

  @Test
  void aHelixConfiguredForOpenSearchIngestsAFolderAndAnswersFromTheCluster(@TempDir Path work)
      throws Exception {
    Path folder = Files.createDirectories(work.resolve("proj"));
    Files.writeString(
        folder.resolve("RetryPolicy.java"),
        "class RetryPolicy {\n  long backoffMillis(int attempt) {\n    return 100L << attempt;\n  }\n}\n");
    Files.writeString(folder.resolve("Notes.md"), "Release notes for the parser.\n");
    String e2e = "e2e-" + INDEXES.incrementAndGet();
    Files.writeString(
        work.resolve("helix.toml"),
        "[store]\nbackend = \"opensearch\"\nembeddings = false\n\n"
            + "[store.opensearch]\nurls = [\""
            + node.url()
            + "\"]\nindex = \""
            + e2e
            + "\"\n");
    dev.helix.config.HelixConfig config =
        new dev.helix.config.ConfigLoader(java.util.Map.of(), work, work).load(null).config();

    try (dev.helix.context.ContextService helix = dev.helix.context.ContextServices.open(config)) {
      assertThat(helix.ingest(List.of(folder), dev.helix.context.IngestProgress.NONE).files())
          .isEqualTo(2);
      dev.helix.context.ContextAnswer answer =
          helix.context(
              new dev.helix.context.ContextRequest("retry policy backoff millis", 2000, 4));
      assertThat(answer.citations())
          .extracting(dev.helix.context.Citation::source)
          .first()
          .asString()
          .endsWith("RetryPolicy.java");
      assertThat(helix.roots())
          .extracting(dev.helix.context.RootStatus::name)
          .containsExactly("proj");
    }
    try (Store cluster = Store.openOpenSearch(config.store().opensearch())) {
      assertThat(cluster.sourcesUnder(folder.toString())).hasSize(2);
    }
  }

  @Override
  Store reopen(Store store) throws Exception {
    store.close();
    return Store.openOpenSearch(config(node, index, "tester@test"));
  }
}
