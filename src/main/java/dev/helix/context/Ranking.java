package dev.helix.context;

import dev.helix.store.Store;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Ranks chunks for a query: BM25 over code-aware terms and cosine over MiniLM vectors, fused with
 * reciprocal rank fusion ({@code sum 1 / (K + rank)}), which needs no score calibration between
 * the two rankers.
 */
final class Ranking {
  /** RRF's constant from Cormack et al. (2009); it damps the weight of the very first ranks. */
  static final int K = 60;
  /** How deep each ranker looks: deeper costs stored-field reads per query for little gain. */
  static final int DEPTH = 30;
  /**
   * The weight of the dense ranker's RRF votes against the lexical ranker's 1.0. Chunk vectors embed
   * only a chunk's head, so dense is the weaker ranker; bench/store's table of weights picked this.
   */
  static final double DENSE_WEIGHT = 0.5;

  /**
   * A chunk found by the dense ranker alone must be at least this close to the query to count as
   * evidence: MiniLM gives unrelated texts a cosine of about 0.1-0.2 and paraphrases about 0.6, and
   * without this floor a small store puts whatever it holds into every window.
   */
  static final double DENSE_ONLY_FLOOR = 0.35;

  /** Which rankers take part: the evaluation compares them. */
  enum Mode { LEXICAL, DENSE, FUSED }

  /** One ranked chunk with what each ranker said of it (rank 0 = not found by that ranker). */
  record Candidate(Store.Chunk chunk, double fused, int lexicalRank, double bm25, int denseRank, double cosine) {}

  /** The ranking and the evidence signals the verdict reads. */
  /** {@code rankers}: the summed weights of the rankers that answered (the best possible fused score is rankers / (K + 1)). */
  record Result(List<Candidate> candidates, double topCosine, double rankers) {}

  private Ranking() {}

  static Result rank(Store store, @Nullable Embedder embedder, String query, Mode mode) throws IOException {
    return rank(store, embedder, query, store.terms(query), mode, DENSE_WEIGHT);
  }

  static Result rank(Store store, @Nullable Embedder embedder, String query, Mode mode, double denseWeight)
      throws IOException {
    return rank(store, embedder, query, store.terms(query), mode, denseWeight);
  }

  /** {@code terms}: the query as {@link Store#terms} analyses it, so a caller that needs them too analyses once. */
  static Result rank(Store store, @Nullable Embedder embedder, String query, List<String> terms, Mode mode,
      double denseWeight) throws IOException {
    // The query's embedding (the dearest step, ~10-20 ms of model time) runs while the lexical
    // search does; a store without vectors never embeds.
    java.util.concurrent.CompletableFuture<float[]> vector = null;
    if (mode != Mode.LEXICAL && embedder != null && store.hasVectors()) {
      Embedder e = embedder;
      vector = new java.util.concurrent.CompletableFuture<>();
      java.util.concurrent.CompletableFuture<float[]> v = vector;
      Thread.ofVirtual().name("helix-query-embed").start(() -> {
        try {
          v.complete(e.embed(query));
        } catch (RuntimeException | Error t) {
          v.completeExceptionally(t);
        }
      });
    }
    List<Store.Hit> lexical = mode == Mode.DENSE ? List.of() : store.lexical(terms, DEPTH);
    List<Store.Hit> dense = List.of();
    if (vector != null) {
      dense = store.dense(join(vector, query), DEPTH);
    }
    Map<String, double[]> by = new LinkedHashMap<>();
    Map<String, Store.Chunk> chunks = new LinkedHashMap<>();
    for (int i = 0; i < lexical.size(); i++) {
      Store.Hit h = lexical.get(i);
      chunks.putIfAbsent(h.chunk().id(), h.chunk());
      double[] s = by.computeIfAbsent(h.chunk().id(), id -> new double[5]);
      s[0] += 1.0 / (K + i + 1);
      s[1] = i + 1;
      s[2] = h.score();
    }
    double topCosine = dense.isEmpty() ? Double.NaN : dense.getFirst().score();
    for (int i = 0; i < dense.size(); i++) {
      Store.Hit h = dense.get(i);
      chunks.putIfAbsent(h.chunk().id(), h.chunk());
      double[] s = by.computeIfAbsent(h.chunk().id(), id -> new double[5]);
      s[0] += denseWeight / (K + i + 1);
      s[3] = i + 1;
      s[4] = h.score();
    }
    List<Candidate> out = new ArrayList<>(by.size());
    by.forEach((id, s) -> {
      boolean weakDenseOnly = mode == Mode.FUSED && s[1] == 0 && s[4] < DENSE_ONLY_FLOOR;
      if (!weakDenseOnly) {
        out.add(new Candidate(chunks.get(id), s[0], (int) s[1], s[2], (int) s[3], s[4]));
      }
    });
    out.sort(Comparator.comparingDouble(Candidate::fused).reversed());
    double rankers = (lexical.isEmpty() ? 0 : 1) + (dense.isEmpty() ? 0 : denseWeight);
    return new Result(out, topCosine, rankers == 0 ? 1 : rankers);
  }

  private static float[] join(java.util.concurrent.CompletableFuture<float[]> vector, String query) throws IOException {
    try {
      return vector.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while embedding the query '" + query + "'", e);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException("embedding the query '" + query + "' failed: " + e.getCause(), e.getCause());
    }
  }
}
