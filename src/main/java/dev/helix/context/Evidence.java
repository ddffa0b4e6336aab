package dev.helix.context;

import dev.helix.store.Store;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How strong the evidence for a query is, in 0..1 (see docs/verdict.md): the share of the query's
 * terms that the top chunks contain ({@code coverage}), blended with how close the best vector is
 * ({@code semantic}), when vectors exist.
 */
final class Evidence {
  /**
   * Confidence at or above which the verdict is {@code know}. Calibrated on bench/store's 200
   * answerable and 40 unanswerable questions (bench/store/RESULTS.md): the lowest threshold of the
   * table that misses every unanswerable question (0.70: 98% know, 100% miss; 0.62 let one
   * programming question outside the corpus through).
   */
  static final double KNOW = 0.70;
  /** Below this confidence nothing matched in substance: {@code no_match} rather than {@code sparse}. */
  static final double NO_MATCH = 0.25;
  /** Cosines of unrelated MiniLM texts commonly sit around 0.1-0.2, paraphrases above 0.6 (a rule of thumb for MiniLM, not tuned here). */
  static final double COSINE_FLOOR = 0.15;
  static final double COSINE_CEILING = 0.60;
  /** The weight of coverage when a vector signal exists; the rest is the semantic signal. */
  static final double COVERAGE_WEIGHT = 0.6;
  /** How many top chunks count for coverage: an answer may span two neighbouring chunks. */
  static final int COVERAGE_CHUNKS = 3;

  record Score(double confidence, double coverage, double semantic) {}

  private Evidence() {}

  static Score score(Store store, List<String> queryTerms, Ranking.Result ranking) {
    if (ranking.candidates().isEmpty()) {
      return new Score(0, 0, 0);
    }
    double coverage = coverage(store, queryTerms, ranking);
    if (Double.isNaN(ranking.topCosine())) {
      return new Score(coverage, coverage, Double.NaN);
    }
    double semantic = clamp((ranking.topCosine() - COSINE_FLOOR) / (COSINE_CEILING - COSINE_FLOOR));
    double confidence = COVERAGE_WEIGHT * coverage + (1 - COVERAGE_WEIGHT) * semantic;
    return new Score(confidence, coverage, semantic);
  }

  /** The share of distinct query terms found in the top chunks' text or path. */
  static double coverage(Store store, List<String> queryTerms, Ranking.Result ranking) {
    if (queryTerms.isEmpty()) {
      return 0;
    }
    Set<String> seen = new HashSet<>();
    ranking.candidates().stream().limit(COVERAGE_CHUNKS).forEach(c -> {
      seen.addAll(store.terms(c.chunk().text()));
      seen.addAll(store.terms(c.chunk().source()));
    });
    long found = queryTerms.stream().filter(seen::contains).count();
    return (double) found / queryTerms.size();
  }

  private static double clamp(double v) {
    return Math.max(0, Math.min(1, v));
  }
}
