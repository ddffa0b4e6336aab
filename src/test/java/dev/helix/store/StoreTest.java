package dev.helix.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreTest {
  @TempDir Path dir;

  private static float[] unit(int axis) {
    float[] v = new float[Store.DIMENSIONS];
    v[axis] = 1;
    return v;
  }

  private static Store.Chunk chunk(String id, String source, String text) {
    return new Store.Chunk(id, source, 1, 1, text, "code", "java", 1, 1, null);
  }

  @Test
  void queriesAnalysedAtOnceOnManyVirtualThreadsGetTheSameTermsAsOneAtATime() throws Exception {
    try (Store store = Store.openWritable(dir)) {
      List<String> texts =
          List.of(
              "How does the LoadingCache evict entries?",
              "max_file_bytes of the HTTPServer2",
              "parseJsonArray retries with backoff",
              "the quick brown foxes jumped");
      List<List<String>> expected = texts.stream().map(store::terms).toList();

      List<java.util.concurrent.Future<Boolean>> checks = new java.util.ArrayList<>();
      try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
        for (int i = 0; i < 400; i++) {
          int k = i % texts.size();
          checks.add(threads.submit(() -> store.terms(texts.get(k)).equals(expected.get(k))));
        }
      }

      assertThat(expected.getFirst()).contains("loadingcache", "load", "cache", "evict");
      for (var check : checks) {
        assertThat(check.get()).isTrue();
      }
    }
  }

  @Test
  void aScopedStoreSearchesOnlyTheSourcesUnderItsPathsAndCountsTheirExtent() throws Exception {
    try (Store store = Store.openWritable(dir)) {
      store.replace(
          new Store.Source("/web/a", 1, 10, "ha", 1, true),
          List.of(chunk("a1", "/web/a", "parser alpha")));
      store.replace(
          new Store.Source("/webapp/b", 1, 20, "hb", 1, true),
          List.of(chunk("b1", "/webapp/b", "parser beta")));
      store.replace(
          new Store.Source("/api/c", 1, 30, "hc", 1, true),
          List.of(chunk("c1", "/api/c", "parser gamma")));
      store.addVectors("/web/a", "ha", Map.of("a1", unit(0)));
      store.addVectors("/webapp/b", "hb", Map.of("b1", unit(0)));
      store.addVectors("/api/c", "hc", Map.of("c1", unit(0)));
      store.commit();

      // "/web" holds /web/a, not /webapp/b: a scope is a folder, not a string prefix.
      Store web = store.within(List.of("/web"));
      assertThat(web.lexical("parser", 5))
          .extracting(h -> h.chunk().source())
          .containsExactly("/web/a");
      assertThat(web.sources(store.terms("parser"), 5))
          .extracting(Store.SourceHit::source)
          .containsExactly("/web/a");
      assertThat(web.dense(unit(0), 5))
          .extracting(Store.DenseHit::source)
          .containsExactly("/web/a");
      assertThat(web.chunks()).isEqualTo(1);
      assertThat(store.within(List.of("/web", "/api")).lexical("parser", 5)).hasSize(2);
      assertThat(store.extent("/webapp")).isEqualTo(new Store.Extent(1, 1, 20));
      assertThat(store.chunks()).isEqualTo(3);

      long version = store.version();
      store.putRoot(new Store.Root("web", "/web", 5, null));
      store.commit();
      assertThat(store.version()).isGreaterThan(version);
      assertThat(store.roots()).containsExactly(new Store.Root("web", "/web", 5, null));
      store.removeRoot("web");
      store.commit();
      assertThat(store.roots()).isEmpty();
    }
  }

  @Test
  void vectorsFilledBehindMakeDenseSearchFindTheFileOfTheNearestChunk() throws Exception {
    try (Store store = Store.openWritable(dir)) {
      store.replace(
          new Store.Source("/a", 1, 1, "ha", 1, true), List.of(chunk("a1", "/a", "alpha")));
      store.replace(
          new Store.Source("/b", 1, 1, "hb", 1, true),
          List.of(chunk("b1", "/b", "beta"), chunk("b2", "/b", "gamma")));
      store.commit();
      assertThat(store.chunksMissingVectors()).isEqualTo(3);
      assertThat(store.sourcesMissingVectors(10)).containsExactlyInAnyOrder("/a", "/b");
      assertThat(store.hasVectors()).isFalse();

      assertThat(store.addVectors("/a", "ha", Map.of("a1", unit(0)))).isTrue();
      assertThat(store.addVectors("/b", "hb", Map.of("b1", unit(1), "b2", unit(2)))).isTrue();
      store.commit();

      assertThat(store.chunksMissingVectors()).isZero();
      assertThat(store.sourcesMissingVectors(10)).isEmpty();
      assertThat(store.dense(unit(2), 5))
          .first()
          .satisfies(
              h -> {
                assertThat(h.source()).isEqualTo("/b");
                assertThat(h.chunk()).isEqualTo("b2");
                assertThat(h.score()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
              });
      // A file counts once, by its nearest chunk.
      assertThat(store.dense(unit(2), 5))
          .extracting(Store.DenseHit::source)
          .containsExactly("/b", "/a");
      assertThat(store.chunks(java.util.Set.of("b2", "a1", "nope")))
          .extracting(Store.Chunk::id)
          .containsExactlyInAnyOrder("b2", "a1");
      // Vector documents are neither chunks nor sources, and adding vectors left the text
      // searchable.
      assertThat(store.totals().chunks()).isEqualTo(3);
      assertThat(store.totals().sources()).isEqualTo(2);
      assertThat(store.lexical("alpha", 5)).extracting(h -> h.chunk().id()).containsExactly("a1");
      assertThat(store.sources(store.terms("gamma"), 5))
          .extracting(Store.SourceHit::source)
          .containsExactly("/b");
    }
  }

  @Test
  void replacingOrDeletingASourceDropsItsVector() throws Exception {
    try (Store store = Store.openWritable(dir)) {
      store.replace(
          new Store.Source("/a", 1, 1, "h1", 1, true), List.of(chunk("a1", "/a", "alpha")));
      store.replace(
          new Store.Source("/b", 1, 1, "hb", 1, true), List.of(chunk("b1", "/b", "beta")));
      store.addVectors("/a", "h1", Map.of("a1", unit(0)));
      store.addVectors("/b", "hb", Map.of("b1", unit(1)));

      store.replace(
          new Store.Source("/a", 2, 1, "h2", 2, true), List.of(chunk("a2", "/a", "alpha two")));
      store.delete("/b");

      assertThat(store.dense(unit(0), 5)).isEmpty();
      assertThat(store.sourcesMissingVectors(10)).containsExactly("/a");
      assertThat(store.chunksMissingVectors()).isEqualTo(1);
    }
  }

  @Test
  void aSourceWithoutChunksNeedsNoVector() throws Exception {
    try (Store store = Store.openWritable(dir)) {
      store.replace(new Store.Source("/empty", 1, 0, "he", 1, true), List.of());
      assertThat(store.sourcesMissingVectors(10)).containsExactly("/empty");

      assertThat(store.addVectors("/empty", "he", Map.of())).isTrue();

      assertThat(store.sourcesMissingVectors(10)).isEmpty();
      assertThat(store.chunksMissingVectors()).isZero();
    }
  }

  @Test
  void vectorsForAnOutdatedVersionOfASourceAreRefused() throws Exception {
    try (Store store = Store.openWritable(dir)) {
      store.replace(
          new Store.Source("/a", 1, 1, "old", 1, true), List.of(chunk("a1", "/a", "alpha")));
      store.replace(
          new Store.Source("/a", 2, 1, "new", 2, true), List.of(chunk("a2", "/a", "alpha two")));

      assertThat(store.addVectors("/a", "old", Map.of("a1", unit(0)))).isFalse();
      assertThat(store.chunksOf("/a")).extracting(Store.Chunk::id).containsExactly("a2");
      assertThat(store.sourcesMissingVectors(10)).containsExactly("/a");
    }
  }

  @Test
  void aStoreWhoseChunksHeldTheirVectorsKeepsThemAndQueuesOnlyTheSourcesMissingSome()
      throws Exception {
    // A store as the helix before 2026-12 wrote it: vectors inside chunk documents, no vector
    // documents.
    try (org.apache.lucene.index.IndexWriter w =
        new org.apache.lucene.index.IndexWriter(
            org.apache.lucene.store.FSDirectory.open(dir),
            new org.apache.lucene.index.IndexWriterConfig(Fields.indexAnalyzer()))) {
      w.addDocuments(legacy("/src/Old.java", "o", unit(0)));
      w.addDocuments(legacy("/src/Half.java", "h", null));
    }
    try (Store store = Store.openWritable(dir)) {
      assertThat(store.hasVectors()).isFalse();
      assertThat(store.chunksMissingVectors()).isEqualTo(1);
      store.replace(
          new Store.Source("/src/New.java", 1, 1, "hn", 1, true),
          List.of(chunk("n1", "/src/New.java", "class New {}")));

      assertThat(store.sourcesMissingVectors(10))
          .containsExactlyInAnyOrder("/src/Half.java", "/src/New.java");
      // Half.java's chunks are embedded again, both of them; Old.java's vectors were kept.
      assertThat(store.chunksMissingVectors()).isEqualTo(3);
      assertThat(store.dense(unit(0), 1))
          .singleElement()
          .satisfies(
              h -> {
                assertThat(h.source()).isEqualTo("/src/Old.java");
                assertThat(h.chunk()).isEqualTo("o2");
              });
      assertThat(store.addVectors("/src/Half.java", "h", Map.of("h1", unit(2)))).isTrue();
      assertThat(store.addVectors("/src/New.java", "hn", Map.of("n1", unit(3)))).isTrue();
      store.commit();

      assertThat(store.chunksMissingVectors()).isZero();
      assertThat(store.dense(unit(2), 1))
          .extracting(Store.DenseHit::source)
          .containsExactly("/src/Half.java");
      assertThat(store.lexical("old", 5)).extracting(h -> h.chunk().id()).contains("o1", "o2");
    }
  }

  @Test
  void replacingASourceLeavesOneCopyAndDeletingItLeavesNone() throws Exception {
    try (Store store = Store.openWritable(dir)) {
      for (int i = 0; i < 3; i++) {
        store.replace(
            new Store.Source("/dir/a", i, 1, "h" + i, 1, true),
            List.of(chunk("a" + i, "/dir/a", "text " + i)));
      }
      store.replace(
          new Store.Source("/dir/b", 1, 1, "hb", 1, true), List.of(chunk("b", "/dir/b", "bee")));
      store.commit();
      assertThat(store.totals().chunks()).isEqualTo(2);
      assertThat(store.sourcesUnder("/dir")).containsOnlyKeys("/dir/a", "/dir/b");
      assertThat(store.sourcesUnder("/di")).isEmpty();

      store.delete("/dir/a");
      store.commit();
      assertThat(store.totals().sources()).isEqualTo(1);
      assertThat(store.source("/dir/a")).isEmpty();
    }
  }

  @Test
  void aStoreWrittenWithPositionsByAnEarlierHelixStillTakesNewFiles() throws Exception {
    // Earlier helix versions indexed text with positions; Lucene refuses to mix both in one field.
    try (var directory = org.apache.lucene.store.FSDirectory.open(dir);
        var writer =
            new org.apache.lucene.index.IndexWriter(
                directory, new org.apache.lucene.index.IndexWriterConfig(Fields.indexAnalyzer()))) {
      Store.Source old = new Store.Source("/old", 1, 1, "ho", 1, true);
      writer.addDocuments(
          List.of(
              Fields.sourceDoc(old),
              Fields.chunkDoc(
                  chunk("o1", "/old", "legacy parser"), Fields.pathWords("/old", false), true)));
      writer.commit();
    }
    try (Store store = Store.openWritable(dir)) {
      store.replace(
          new Store.Source("/new", 1, 1, "hn", 1, true),
          List.of(chunk("n1", "/new", "fresh parser")));
      store.commit();

      assertThat(store.lexical("parser", 5))
          .extracting(h -> h.chunk().id())
          .containsExactlyInAnyOrder("o1", "n1");
    }
  }

  @Test
  void aNewStoreIndexesTextWithoutPositions() throws Exception {
    try (Store store = Store.openWritable(dir)) {
      store.replace(
          new Store.Source("/a", 1, 1, "ha", 1, true), List.of(chunk("a1", "/a", "alpha")));
      store.commit();
    }
    try (var directory = org.apache.lucene.store.FSDirectory.open(dir);
        var reader = org.apache.lucene.index.DirectoryReader.open(directory)) {
      var content =
          org.apache.lucene.index.FieldInfos.getMergedFieldInfos(reader).fieldInfo(Fields.CONTENT);
      assertThat(content.getIndexOptions())
          .isEqualTo(org.apache.lucene.index.IndexOptions.DOCS_AND_FREQS);
      assertThat(content.omitsNorms()).isFalse();
    }
  }

  @Test
  void aFileIndexedBeforeWholeFileTermsExistedReadsAsChangedSoTheNextIngestIndexesItAgain()
      throws Exception {
    Store.Source old = new Store.Source("/src/Old.java", 1000, 10, "h", 1, true);
    // A store as a helix before whole-file terms wrote it: the source's state fields only.
    try (org.apache.lucene.index.IndexWriter w =
        new org.apache.lucene.index.IndexWriter(
            org.apache.lucene.store.FSDirectory.open(dir),
            new org.apache.lucene.index.IndexWriterConfig(Fields.indexAnalyzer()))) {
      w.addDocuments(
          List.of(
              Fields.sourceDoc(old),
              Fields.chunkDoc(chunk("o1", "/src/Old.java", "class Old {}"), "Old.java", false)));
    }
    try (Store store = Store.openWritable(dir)) {
      assertThat(store.source("/src/Old.java"))
          .get()
          .satisfies(s -> assertThat(s.mtimeMillis()).isNotEqualTo(1000));
      assertThat(store.sources(store.terms("Old"), 5)).isEmpty();

      store.replace(old, List.of(chunk("o1", "/src/Old.java", "class Old {}")));
      store.commit();

      assertThat(store.source("/src/Old.java"))
          .get()
          .satisfies(s -> assertThat(s.mtimeMillis()).isEqualTo(1000));
      assertThat(store.sources(store.terms("Old"), 5))
          .extracting(Store.SourceHit::source)
          .containsExactly("/src/Old.java");
    }
  }

  /**
   * A source with two chunks as the helix before 2026-12 wrote it; the second chunk's vector only
   * when given.
   */
  private static List<org.apache.lucene.document.Document> legacy(
      String source, String prefix, float @org.jspecify.annotations.Nullable [] v) {
    List<Store.Chunk> chunks =
        List.of(
            chunk(prefix + "1", source, "class Old {}"),
            chunk(prefix + "2", source, "void run() {}"));
    List<org.apache.lucene.document.Document> docs = new java.util.ArrayList<>();
    docs.add(
        Fields.sourceDoc(
            new Store.Source(source, 1000, 10, prefix, 1, true), chunks, "Old.java", false));
    for (int i = 0; i < chunks.size(); i++) {
      org.apache.lucene.document.Document d = Fields.chunkDoc(chunks.get(i), "Old.java", false);
      float[] vector = i == 0 ? unit(1) : v;
      d.add(LuceneStore.keyword("has_vector", vector == null ? "0" : "1"));
      if (vector != null) {
        d.add(
            new org.apache.lucene.document.KnnFloatVectorField(
                Fields.LEGACY_VECTOR, vector, LuceneStore.similarity()));
      }
      docs.add(d);
    }
    return docs;
  }
}
