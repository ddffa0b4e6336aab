package dev.helix.context;

import dev.helix.store.Store;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * Ranks files, then chunks, for a query (docs/store.md). Up to three rankers vote for files: BM25
 * over each whole file's terms, BM25 over chunks (a file counts by its best chunk) and, when
 * vectors exist, cosine over chunk vectors (a file counts by its nearest chunk). Each ranker's
 * scores are scaled to 0..1 within its own list (min-max) and a file's fused score is their
 * weighted sum. A file's chunks follow it, in the order of their own evidence.
 *
 * <p>The weights were chosen on bench/store's development corpora (bench/store/RESULTS.md,
 * 2026-12-07): whole-file BM25 alone ranks doc-sentence questions well but loses a class to its
 * siblings when the question paraphrases one method; chunk BM25 alone loses a long class comment to
 * short sibling chunks; their sum beat either on every development corpus. Reciprocal rank fusion
 * was tried first and lost 5-18 points of recall@1 on doc-sentence questions: it treats rank 1 and
 * rank 2 of a ranker as nearly equal however far apart their scores are.
 */
final class Ranking {
  /** How deep the chunk rankers look: deeper costs stored-field reads per query for little gain. */
  static final int DEPTH = 30;

  /** How many files the file-level ranker returns. */
  static final int FILE_DEPTH = 30;

  /**
   * The first files of the ranking that get a chunk found for them when no chunk ranker found one.
   */
  static final int FILL = 10;

  /** The whole-file ranker's weight. */
  static final double FILE_WEIGHT = 1.0;

  /**
   * The chunk ranker's weight: 1.5 against the file ranker's 1.0 raised recall@1 on doc-sentence
   * questions by 2-4 points on three of four development corpora over 1.0 (0.6 lost 1-4), and
   * developer questions moved by at most 2 either way.
   */
  static final double CHUNK_WEIGHT = 1.5;

  /**
   * The dense ranker's weight against the lexical rankers': 1.0 and 1.5 tied on recall@5 of
   * developer questions; 1.0 kept recall@1 on doc-sentence questions (1.5 lost up to 5 points).
   */
  static final double DENSE_WEIGHT = 1.0;

  /**
   * A file found by the dense ranker alone (no lexical ranker found it) must have a chunk at least
   * this close to the query to count as evidence: MiniLM gives unrelated texts a cosine of about
   * 0.1-0.2 and paraphrases about 0.6, and without this floor a small store puts whatever it holds
   * into every window.
   */
  static final double DENSE_ONLY_FLOOR = 0.35;

  /** Which rankers take part: the evaluation compares them. */
  enum Mode {
    LEXICAL,
    DENSE,
    FUSED
  }

  /**
   * One ranked chunk: {@code fused} is its file's fused score, {@code lexicalRank} its rank in the
   * chunk ranker (0 = not found there), {@code bm25} its own score, and {@code dense} whether it is
   * its file's chunk nearest to the query.
   */
  record Candidate(Store.Chunk chunk, double fused, int lexicalRank, double bm25, boolean dense) {}

  /**
   * The ranking and the evidence signals the verdict reads. {@code rankers}: the summed weights of
   * the rankers that answered, which is the best possible fused score (first in every ranker).
   */
  record Result(List<Candidate> candidates, double topCosine, double rankers) {
    /**
     * The fused score of the best file after the top one (chunks of one file share its score); 0
     * when none.
     */
    double nextFileFused() {
      String top = candidates.getFirst().chunk().source();
      return candidates.stream()
          .filter(c -> !c.chunk().source().equals(top))
          .findFirst()
          .map(Candidate::fused)
          .orElse(0.0);
    }
  }

  /** What the rankers said of one file while fusing. */
  private static final class FileVotes {
    double fused;

    /** The id of the file's chunk nearest to the query, when the dense ranker found the file. */
    @Nullable String denseChunk;

    final List<Candidate> chunks = new ArrayList<>();
  }

  /** A score scaled to 0..1 within its ranker's list (min-max); a list of equal scores gives 1. */
  private static double norm(double s, double min, double max) {
    return max <= min ? 1 : (s - min) / (max - min);
  }

  private Ranking() {}

  static Result rank(Store store, @Nullable Embedder embedder, String query, Mode mode)
      throws IOException {
    return rank(store, embedder, query, store.terms(query), mode, DENSE_WEIGHT);
  }

  static Result rank(
      Store store, @Nullable Embedder embedder, String query, Mode mode, double denseWeight)
      throws IOException {
    return rank(store, embedder, query, store.terms(query), mode, denseWeight);
  }

  /**
   * {@code terms}: the query as {@link Store#terms} analyses it, so a caller that needs them too
   * analyses once.
   */
  static Result rank(
      Store store,
      @Nullable Embedder embedder,
      String query,
      List<String> terms,
      Mode mode,
      double denseWeight)
      throws IOException {
    // The query's embedding (the dearest step) runs while the lexical searches do; a store without
    // vectors never embeds.
    CompletableFuture<float[]> vector = null;
    if (mode != Mode.LEXICAL && embedder != null && store.hasVectors()) {
      Embedder e = embedder;
      CompletableFuture<float[]> v = new CompletableFuture<>();
      vector = v;
      Thread.ofVirtual()
          .name("helix-query-embed")
          .start(
              () -> {
                try {
                  v.complete(e.embed(query));
                } catch (RuntimeException | Error t) {
                  v.completeExceptionally(t);
                }
              });
    }
    List<Store.SourceHit> files = mode == Mode.DENSE ? List.of() : store.sources(terms, FILE_DEPTH);
    List<Store.Hit> lexical = mode == Mode.DENSE ? List.of() : store.lexical(terms, DEPTH);
    List<Store.DenseHit> dense =
        vector == null ? List.of() : store.dense(join(vector, query), FILE_DEPTH);

    Map<String, FileVotes> byFile = new LinkedHashMap<>();
    voteFiles(files, FILE_WEIGHT, byFile);
    Map<String, Candidate> chunks = new LinkedHashMap<>();
    vote(lexical, CHUNK_WEIGHT, byFile, chunks);
    double topCosine = dense.isEmpty() ? Double.NaN : dense.getFirst().score();
    voteDense(mode == Mode.FUSED ? strong(dense, byFile.keySet()) : dense, denseWeight, byFile);
    for (Candidate c : chunks.values()) {
      FileVotes v = byFile.get(c.chunk().source());
      v.chunks.add(
          c.chunk().id().equals(v.denseChunk)
              ? new Candidate(c.chunk(), 0, c.lexicalRank(), c.bm25(), true)
              : c);
    }
    List<Map.Entry<String, FileVotes>> ranked = new ArrayList<>(byFile.entrySet());
    ranked.sort(
        Comparator.comparingDouble((Map.Entry<String, FileVotes> e) -> e.getValue().fused)
            .reversed());
    fill(store, terms, ranked, byFile);

    List<Candidate> out = new ArrayList<>();
    for (Map.Entry<String, FileVotes> e : ranked) {
      List<Candidate> own = e.getValue().chunks;
      // A chunk both rankers found comes first, then one of them, then by BM25, then in line order.
      own.sort(
          Comparator.comparingInt(
                  (Candidate c) -> (c.lexicalRank() > 0 ? 1 : 0) + (c.dense() ? 1 : 0))
              .reversed()
              .thenComparing(Comparator.comparingDouble(Candidate::bm25).reversed())
              .thenComparingInt(c -> c.chunk().startLine()));
      for (Candidate c : own) {
        out.add(new Candidate(c.chunk(), e.getValue().fused, c.lexicalRank(), c.bm25(), c.dense()));
      }
    }
    double rankers =
        (files.isEmpty() ? 0 : FILE_WEIGHT)
            + (lexical.isEmpty() ? 0 : CHUNK_WEIGHT)
            + (dense.isEmpty() ? 0 : denseWeight);
    return new Result(out, topCosine, rankers == 0 ? 1 : rankers);
  }

  /** Adds a file ranker's votes: each file by its score, scaled within the list. */
  private static void voteFiles(
      List<Store.SourceHit> hits, double weight, Map<String, FileVotes> byFile) {
    if (hits.isEmpty()) {
      return;
    }
    double max = hits.getFirst().score();
    double min = hits.getLast().score();
    for (Store.SourceHit h : hits) {
      byFile.computeIfAbsent(h.source(), f -> new FileVotes()).fused +=
          weight * norm(h.score(), min, max);
    }
  }

  /**
   * Adds the chunk ranker's votes: each file by the score of its best chunk, and every chunk it
   * found as a candidate of its file.
   */
  private static void vote(
      List<Store.Hit> hits,
      double weight,
      Map<String, FileVotes> byFile,
      Map<String, Candidate> chunks) {
    Set<String> seen = new LinkedHashSet<>();
    java.util.DoubleSummaryStatistics scores =
        hits.stream().mapToDouble(Store.Hit::score).summaryStatistics();
    double max = scores.getMax();
    double min = scores.getMin();
    for (int i = 0; i < hits.size(); i++) {
      Store.Hit h = hits.get(i);
      String source = h.chunk().source();
      if (seen.add(source)) {
        byFile.computeIfAbsent(source, f -> new FileVotes()).fused +=
            weight * norm(h.score(), min, max);
      }
      chunks.putIfAbsent(h.chunk().id(), new Candidate(h.chunk(), 0, i + 1, h.score(), false));
    }
  }

  /**
   * Adds the dense ranker's votes: each file by its nearest chunk's cosine, scaled within the list.
   */
  private static void voteDense(
      List<Store.DenseHit> hits, double weight, Map<String, FileVotes> byFile) {
    if (hits.isEmpty()) {
      return;
    }
    double max = hits.getFirst().score();
    double min = hits.getLast().score();
    for (Store.DenseHit h : hits) {
      FileVotes v = byFile.computeIfAbsent(h.source(), f -> new FileVotes());
      v.fused += weight * norm(h.score(), min, max);
      v.denseChunk = h.chunk();
    }
  }

  /**
   * The dense hits that count as evidence: a file a lexical ranker also found, or one close enough
   * to the query on its own ({@link #DENSE_ONLY_FLOOR}).
   */
  private static List<Store.DenseHit> strong(List<Store.DenseHit> dense, Set<String> lexical) {
    return dense.stream()
        .filter(h -> h.score() >= DENSE_ONLY_FLOOR || lexical.contains(h.source()))
        .toList();
  }

  /**
   * Completes the chunks of the first {@link #FILL} files: the chunk the dense ranker found nearest
   * (one lookup by id for all of them), and for a file still without any, one more chunk search
   * limited to those files, so each gets its best chunks.
   */
  private static void fill(
      Store store,
      List<String> terms,
      List<Map.Entry<String, FileVotes>> ranked,
      Map<String, FileVotes> byFile)
      throws IOException {
    List<Map.Entry<String, FileVotes>> first = ranked.subList(0, Math.min(FILL, ranked.size()));
    Set<String> nearest = new LinkedHashSet<>();
    for (Map.Entry<String, FileVotes> e : first) {
      String id = e.getValue().denseChunk;
      if (id != null && e.getValue().chunks.stream().noneMatch(c -> c.chunk().id().equals(id))) {
        nearest.add(id);
      }
    }
    for (Store.Chunk c : store.chunks(nearest)) {
      FileVotes v = byFile.get(c.source());
      if (v != null) {
        v.chunks.add(new Candidate(c, 0, 0, 0, true));
      }
    }
    Set<String> empty = new LinkedHashSet<>();
    for (Map.Entry<String, FileVotes> e : first) {
      if (e.getValue().chunks.isEmpty()) {
        empty.add(e.getKey());
      }
    }
    if (empty.isEmpty()) {
      return;
    }
    for (Store.Hit h : store.lexical(terms, empty.size() * 3, empty)) {
      byFile.get(h.chunk().source()).chunks.add(new Candidate(h.chunk(), 0, 0, h.score(), false));
    }
    // A file whose text matched but no chunk did (its words are spread thin) keeps its first chunk.
    ranked.removeIf(e -> e.getValue().chunks.isEmpty() && empty.contains(e.getKey()));
  }

  private static float[] join(CompletableFuture<float[]> vector, String query) throws IOException {
    try {
      return vector.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while embedding the query '" + query + "'", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(
          "embedding the query '" + query + "' failed: " + e.getCause(), e.getCause());
    }
  }
}
