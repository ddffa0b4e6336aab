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
    return new OpenSearchConfig(List.of(node.url().toString()), index, null, null, null, true, owner);
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
  void bothBackendsRankHelixsOwnSourcesAlikeWithTheSameScores(@TempDir Path lucene) throws Exception {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(Path.of("src/main/java/dev/helix"))) {
      files = walk.filter(f -> f.toString().endsWith(".java")).sorted().limit(120).toList();
    }
    try (Store embedded = Store.openWritable(lucene); Store team = open()) {
      for (Path f : files) {
        List<String> lines = Files.readAllLines(f);
        String path = f.toAbsolutePath().toString();
        List<Store.Chunk> chunks = new ArrayList<>();
        for (int from = 0; from < lines.size(); from += 40) {
          int to = Math.min(lines.size(), from + 40);
          String text = String.join("\n", lines.subList(from, to));
          chunks.add(new Store.Chunk(path.hashCode() + "-" + from, path, from + 1, Math.max(from + 1, to), text, "code", "java", 1, 1, null));
        }
        Store.Source source = new Store.Source(path, 1, lines.size(), "h", 1, true);
        embedded.replace(source, chunks);
        team.replace(source, chunks);
      }
      embedded.commit();
      team.commit();

      for (String q : List.of("how does the launcher restart the server after a crash", "LoadingCache evict",
          "upstream timeout seconds", "parse the toml config and report errors with line and column",
          "bm25 path boost", "roots watch rescan")) {
        List<String> terms = embedded.terms(q);
        assertThat(team.terms(q)).isEqualTo(terms);
        List<Store.Hit> want = embedded.lexical(terms, 10);
        List<Store.Hit> got = team.lexical(terms, 10);
        assertThat(got).extracting(h -> h.chunk().id()).as(q).isEqualTo(want.stream().map(h -> h.chunk().id()).toList());
        for (int i = 0; i < want.size(); i++) {
          assertThat(got.get(i).score()).as(q + " #" + i).isCloseTo(want.get(i).score(), org.assertj.core.data.Percentage.withPercentage(0.01));
        }
        List<Store.SourceHit> wantFiles = embedded.sources(terms, 5);
        List<Store.SourceHit> gotFiles = team.sources(terms, 5);
        assertThat(gotFiles).extracting(Store.SourceHit::source).as(q).isEqualTo(wantFiles.stream().map(Store.SourceHit::source).toList());
      }
    }
  }

  @Override
  Store reopen(Store store) throws Exception {
    store.close();
    return Store.openOpenSearch(config(node, index, "tester@test"));
  }
}
