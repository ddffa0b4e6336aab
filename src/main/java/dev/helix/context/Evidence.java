package dev.helix.context;

import dev.helix.store.Store;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How strong the evidence for a query is, in 0..1 (see docs/verdict.md): the share of the query's
 * terms, weighted by rarity, that the top source's best chunks contain ({@code coverage}), blended
 * with how close the best vector is ({@code semantic}), when vectors exist.
 */
final class Evidence {
  /**
   * Confidence at or above which the verdict is {@code know}, when a vector signal exists.
   * Calibrated on bench/store (bench/store/RESULTS.md, 2026-11-27): 200 hand-written questions,
   * 200 Javadoc-sentence questions, 40 off-topic and 30 near-topic unanswerable ones. In two runs
   * (HNSW graphs differ between builds) 0.78 kept every set on the right side of the bars:
   * know on 72% of hand-written and 98.5% of Javadoc questions, miss on 100% off-topic and 93-97%
   * near-topic; 0.76 missed only 87% of the near-topic ones in the second run.
   */
  static final double KNOW = 0.78;
  /**
   * The same threshold for coverage alone (a store without vectors, or a query whose embedding
   * failed), calibrated on the same run: the lowest that misses every off-topic question (58% know
   * on hand-written, 98.5% on Javadoc questions, 80% miss near-topic). Without vectors a paraphrase
   * and a near-topic question look alike; the verdict leans to miss rather than to a false know.
   */
  static final double KNOW_LEXICAL = 0.46;
  /** Below this confidence nothing matched in substance: {@code no_match} rather than {@code sparse}. */
  static final double NO_MATCH = 0.25;
  /** Cosines of unrelated MiniLM texts commonly sit around 0.1-0.2, paraphrases above 0.6 (a rule of thumb for MiniLM, not tuned here). */
  static final double COSINE_FLOOR = 0.15;
  static final double COSINE_CEILING = 0.60;
  /**
   * The weight of coverage when a vector signal exists; the rest is the semantic signal. The
   * calibration run found the cosine the better separator of paraphrased answerable questions from
   * near-topic unanswerable ones (0.2-0.4 all did within two points; 0.6 lost 5).
   */
  static final double COVERAGE_WEIGHT = 0.3;
  /** How many chunks of the top source count for coverage: an answer may span two neighbouring chunks. */
  static final int COVERAGE_CHUNKS = 3;

  /** The confidence and its parts; {@code semantic} is NaN when no vector signal exists. */
  record Score(double confidence, double coverage, double semantic) {
    /** Whether the evidence is strong enough for {@code know}. */
    boolean know() {
      return confidence >= (Double.isNaN(semantic) ? KNOW_LEXICAL : KNOW);
    }
  }

  private Evidence() {}

  static Score score(Store store, List<String> queryTerms, Ranking.Result ranking) throws IOException {
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

  /**
   * The share of the query's distinct terms found in the top source's best chunks (text or path),
   * each term weighted by its rarity in the store (BM25's idf). A rare term carries the question ("kotlin" in
   * a question about a Kotlin module); a word that most chunks hold ("json" in a JSON library) says
   * little either way, so finding it, or not, should move the verdict little. Only the top
   * source's chunks count: terms scattered over three unrelated files are not an answer, and
   * counting them let near-topic questions the store cannot answer pass as known.
   */
  static double coverage(Store store, List<String> queryTerms, Ranking.Result ranking) throws IOException {
    if (queryTerms.isEmpty()) {
      return 0;
    }
    String top = ranking.candidates().getFirst().chunk().source();
    Set<String> seen = new HashSet<>(store.terms(top));
    ranking.candidates().stream().filter(c -> c.chunk().source().equals(top)).limit(COVERAGE_CHUNKS)
        .forEach(c -> seen.addAll(store.terms(c.chunk().text())));
    Store.TermCounts counts = store.termCounts(queryTerms);
    double found = 0;
    double all = 0;
    for (String t : queryTerms) {
      // A term no chunk holds weighs as one that a single chunk holds: in a store of a few chunks
      // every unseen everyday word ("often") would otherwise outweigh all the words that matched.
      double weight = idf(counts.chunks(), Math.max(1, counts.chunksWith().getOrDefault(t, 0L)));
      all += weight;
      found += seen.contains(t) ? weight : 0;
    }
    return all == 0 ? 0 : found / all;
  }

  /** BM25's inverse document frequency: log(1 + (N - n + 0.5) / (n + 0.5)), never negative. */
  static double idf(long chunks, long chunksWith) {
    return Math.log(1 + (Math.max(0, chunks - chunksWith) + 0.5) / (chunksWith + 0.5));
  }

  private static double clamp(double v) {
    return Math.max(0, Math.min(1, v));
  }
}
