package dev.helix.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Store} backend must do alike (issue #19): one subclass per backend opens a
 * fresh, empty store for each test. Replace, delete, search, counts, scope, roots and stats, and
 * that sending a replacement again (a retry, a crash before the commit) never duplicates a chunk.
 */
abstract class StoreConformance {

  /** A fresh, empty store, writable. */
  abstract Store open() throws Exception;

  /** The same store opened again, as after a restart: {@code store} is closed first. */
  abstract Store reopen(Store store) throws Exception;

  static Store.Chunk chunk(String id, String source, int line, String text) {
    return new Store.Chunk(id, source, line, line + 1, text, "code", "java", 5, 6, null);
  }

  static Store.Source source(String path, String sha) {
    return new Store.Source(path, 11, 100, sha, 12, true);
  }

  @Test
  void aReplacementSwapsASourcesChunksAndADeleteRemovesThem() throws Exception {
    try (Store store = open()) {
      store.replace(
          source("/r/A.java", "v1"),
          List.of(
              chunk("a1", "/r/A.java", 1, "class LoadingCache {}"),
              chunk("a2", "/r/A.java", 3, "void evictEntries() {}")));
      store.commit();
      store.replace(
          source("/r/A.java", "v2"),
          List.of(chunk("a3", "/r/A.java", 1, "class LoadingCache { int size; }")));
      store.commit();

      assertThat(store.chunksOf("/r/A.java")).extracting(Store.Chunk::id).containsExactly("a3");
      assertThat(store.source("/r/A.java")).get().extracting(Store.Source::sha256).isEqualTo("v2");
      assertThat(store.lexical("evict", 5)).isEmpty();

      store.delete("/r/A.java");
      store.commit();
      assertThat(store.source("/r/A.java")).isEmpty();
      assertThat(store.chunksOf("/r/A.java")).isEmpty();
      assertThat(store.chunks()).isZero();
    }
  }

  @Test
  void aChunkReadBackKeepsEveryField() throws Exception {
    try (Store store = open()) {
      Store.Chunk written =
          new Store.Chunk(
              "x1",
              "/r/X.md",
              4,
              9,
              "Some prose\nabout caches.",
              "prose",
              "markdown",
              77,
              88,
              null);
      store.replace(new Store.Source("/r/X.md", 77, 24, "hx", 88, false), List.of(written));
      store.commit();

      Store.Chunk read = store.chunks(java.util.Set.of("x1")).getFirst();
      assertThat(read).usingRecursiveComparison().isEqualTo(written);
      assertThat(store.source("/r/X.md"))
          .contains(new Store.Source("/r/X.md", 77, 24, "hx", 88, false));
    }
  }

  @Test
  void searchFindsIdentifiersWholeAndSplitAndRanksFilesByAllTheirWords() throws Exception {
    try (Store store = open()) {
      store.replace(
          source("/r/cache/LoadingCache.java", "h1"),
          List.of(
              chunk(
                  "c1",
                  "/r/cache/LoadingCache.java",
                  1,
                  "public class LoadingCache { Entry evictEntries(); }"),
              chunk("c2", "/r/cache/LoadingCache.java", 10, "int maxFileBytes = 2097152;")));
      store.replace(
          source("/r/http/HttpServer.java", "h2"),
          List.of(
              chunk(
                  "h1",
                  "/r/http/HttpServer.java",
                  1,
                  "class HttpServer { void serveRequests() {} }")));
      store.commit();

      assertThat(store.lexical("loading cache", 5))
          .extracting(h -> h.chunk().id())
          .first()
          .isEqualTo("c1");
      assertThat(store.lexical("LoadingCache", 5))
          .extracting(h -> h.chunk().id())
          .first()
          .isEqualTo("c1");
      assertThat(store.lexical("max_file_bytes", 5))
          .extracting(h -> h.chunk().id())
          .containsExactly("c2");
      assertThat(store.lexical("max file bytes", 5))
          .extracting(h -> h.chunk().id())
          .containsExactly("c2");
      assertThat(store.lexical("server", 5)).extracting(h -> h.chunk().id()).containsExactly("h1");
      assertThat(
              store.lexical(
                  store.terms("cache server"), 5, java.util.Set.of("/r/http/HttpServer.java")))
          .extracting(h -> h.chunk().id())
          .containsExactly("h1");
      // File level: evict and bytes live in two chunks of one file.
      assertThat(store.sources(store.terms("evict bytes"), 5))
          .extracting(Store.SourceHit::source)
          .containsExactly("/r/cache/LoadingCache.java");
    }
  }

  @Test
  void countsAndTotalsFollowTheWrites() throws Exception {
    try (Store store = open()) {
      store.replace(
          source("/r/a", "ha"),
          List.of(chunk("a1", "/r/a", 1, "alpha parser"), chunk("a2", "/r/a", 3, "alpha lexer")));
      store.replace(source("/r/b", "hb"), List.of(chunk("b1", "/r/b", 1, "beta parser")));
      store.commit();

      assertThat(store.chunks()).isEqualTo(3);
      Store.Totals totals = store.totals();
      assertThat(totals.chunks()).isEqualTo(3);
      assertThat(totals.sources()).isEqualTo(2);
      assertThat(totals.storeBytes()).isPositive();
      Store.TermCounts counts = store.termCounts(List.of("parser", "alpha", "gamma"));
      assertThat(counts.chunks()).isEqualTo(3);
      assertThat(counts.chunksWith()).isEqualTo(Map.of("parser", 2L, "alpha", 2L, "gamma", 0L));
      assertThat(store.extent("/r")).isEqualTo(new Store.Extent(2, 3, 200));
      assertThat(store.sourcesUnder("/r").keySet()).containsExactlyInAnyOrder("/r/a", "/r/b");
      assertThat(store.chunksMissingVectors()).isGreaterThanOrEqualTo(0);
    }
  }

  @Test
  void sendingTheSameReplacementAgainAfterARestartNeverDuplicatesAChunk() throws Exception {
    Store store = open();
    List<Store.Chunk> chunks =
        List.of(
            chunk("d1", "/r/D.java", 1, "class Dedup {}"),
            chunk("d2", "/r/D.java", 3, "void retry() {}"));
    store.replace(source("/r/D.java", "hd"), chunks);
    store.commit();
    // A retry within the same run, not yet committed, then the restart's replay of it.
    store.replace(source("/r/D.java", "hd"), chunks);
    store = reopen(store);
    try {
      store.replace(source("/r/D.java", "hd"), chunks);
      store.commit();

      assertThat(store.chunks()).isEqualTo(2);
      assertThat(store.chunksOf("/r/D.java"))
          .extracting(Store.Chunk::id)
          .containsExactly("d1", "d2");
      assertThat(store.lexical("retry", 5)).hasSize(1);
      assertThat(store.totals().sources()).isEqualTo(1);
    } finally {
      store.close();
    }
  }

  @Test
  void aScopeLimitsSearchesAndCountsToItsFolders() throws Exception {
    try (Store store = open()) {
      store.replace(source("/web/a", "ha"), List.of(chunk("a1", "/web/a", 1, "parser alpha")));
      store.replace(source("/webapp/b", "hb"), List.of(chunk("b1", "/webapp/b", 1, "parser beta")));
      store.replace(source("/api/c", "hc"), List.of(chunk("c1", "/api/c", 1, "parser gamma")));
      store.commit();

      Store web = store.within(List.of("/web"));
      assertThat(web.lexical("parser", 5))
          .extracting(h -> h.chunk().source())
          .containsExactly("/web/a");
      assertThat(web.sources(store.terms("parser"), 5))
          .extracting(Store.SourceHit::source)
          .containsExactly("/web/a");
      assertThat(web.chunks()).isEqualTo(1);
      assertThat(store.within(List.of("/web", "/api")).lexical("parser", 5))
          .extracting(h -> h.chunk().source())
          .containsExactlyInAnyOrder("/web/a", "/api/c");
      assertThat(store.lexical("parser", 5)).hasSize(3);
      // Writes and term statistics stay the whole store's.
      assertThat(web.termCounts(List.of("parser")).chunksWith()).containsEntry("parser", 3L);
      // A view owns nothing: closing it leaves the store open for writing and searching.
      web.close();
      store.replace(source("/web/d", "hd"), List.of(chunk("d1", "/web/d", 1, "parser delta")));
      store.commit();
      assertThat(store.lexical("parser", 5)).hasSize(4);
    }
  }

  @Test
  void rootsArePutReplacedListedByNameAndRemoved() throws Exception {
    try (Store store = open()) {
      store.putRoot(new Store.Root("web", "/web", 0, null));
      store.putRoot(new Store.Root("api", "/api", 5, "disk full"));
      store.commit();
      store.putRoot(new Store.Root("web", "/web", 9, null));
      store.commit();

      assertThat(store.roots())
          .containsExactly(
              new Store.Root("api", "/api", 5, "disk full"),
              new Store.Root("web", "/web", 9, null));
      store.removeRoot("api");
      store.commit();
      assertThat(store.roots()).extracting(Store.Root::name).containsExactly("web");
    }
  }

  @Test
  void theVersionGrowsWithEveryCommit() throws Exception {
    try (Store store = open()) {
      long before = store.version();
      store.replace(source("/r/v", "hv"), List.of(chunk("v1", "/r/v", 1, "versioned")));
      store.commit();
      assertThat(store.version()).isGreaterThan(before);
    }
  }
}
