package dev.helix.context;

import dev.helix.store.FunctionWords;
import dev.helix.store.Store;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How strong the evidence for a query is, in 0..1 (see docs/verdict.md), by one rule for every
 * store: how much of the query the store knows at all ({@code known}: the share of its terms,
 * weighted by rarity, that any chunk holds), how much the top file's best chunks hold ({@code
 * coverage}), and how clearly the top file leads the next ({@code lead}).
 */
final class Evidence {
  /**
   * Confidence at or above which the verdict is {@code know}. Chosen on bench/store's four
   * development corpora at once (bench/store/RESULTS.md, 2026-12-07): the one threshold that kept
   * the worst corpus best on both sides, know on 82-90% of answerable questions whose answer ranked
   * in the top 5 and miss on 83-94% of near-topic unanswerable ones. The MiniLM cosine was tried as
   * a fourth signal and did not raise the worst corpus: its scale differs from corpus to corpus.
   */
  static final double KNOW = 0.685;

  /**
   * Know also needs the top file's best chunks to hold at least this share of the query (by
   * rarity): a question whose words the store holds, but in several unrelated files, is not known.
   * On the development corpora 0.4 cost 2-4 points of know and gained up to 3 of miss.
   */
  static final double MIN_COVERAGE = 0.4;

  /**
   * Below this confidence nothing matched in substance: {@code no_match} rather than {@code
   * sparse}.
   */
  static final double NO_MATCH = 0.25;

  /** The weights of coverage and lead against {@code known}'s 1.0, from the same grid search. */
  static final double COVERAGE_WEIGHT = 0.5;

  static final double LEAD_WEIGHT = 0.25;

  /**
   * How many chunks of the top source count for coverage: an answer may span two neighbouring
   * chunks.
   */
  static final int COVERAGE_CHUNKS = 3;

  /** The confidence and its parts. */
  record Score(double confidence, double coverage, double known, double lead) {
    /** Whether the evidence is strong enough for {@code know}. */
    boolean know() {
      return confidence >= KNOW && coverage >= MIN_COVERAGE;
    }
  }

  private Evidence() {}

  static Score score(Store store, List<String> queryTerms, Ranking.Result ranking)
      throws IOException {
    if (ranking.candidates().isEmpty() || queryTerms.isEmpty()) {
      return new Score(0, 0, 0, 0);
    }
    // Function words ("which", "does") count for neither: a small store may never write them.
    List<String> content = queryTerms.stream().filter(t -> !FunctionWords.contains(t)).toList();
    List<String> terms = content.isEmpty() ? queryTerms : content;
    Store.TermCounts counts = store.termCounts(terms);
    double coverage = coverage(store, terms, counts, ranking);
    double known = known(terms, counts);
    double lead = lead(ranking);
    double confidence =
        (known + COVERAGE_WEIGHT * coverage + LEAD_WEIGHT * lead)
            / (1 + COVERAGE_WEIGHT + LEAD_WEIGHT);
    return new Score(confidence, coverage, known, lead);
  }

  /**
   * The share of the query's terms, weighted by rarity, that the store holds at all. A question
   * about Alembic in a store of SQLAlchemy's sources names a word no chunk holds; a paraphrase of
   * something the store explains mostly uses words it holds somewhere.
   */
  static double known(List<String> queryTerms, Store.TermCounts counts) {
    double found = 0;
    double all = 0;
    for (String t : queryTerms) {
      long n = counts.chunksWith().getOrDefault(t, 0L);
      double weight = idf(counts.chunks(), Math.max(1, n));
      all += weight;
      found += n > 0 ? weight : 0;
    }
    return all == 0 ? 0 : found / all;
  }

  /**
   * How far the top file's fused score is ahead of the next file's, as a share of the best
   * possible.
   */
  static double lead(Ranking.Result ranking) {
    double top = ranking.candidates().getFirst().fused();
    return Math.max(0, Math.min(1, (top - ranking.nextFileFused()) / ranking.rankers()));
  }

  /**
   * The share of the query's distinct terms found in the top source's best chunks (text or path),
   * each term weighted by its rarity in the store (BM25's idf). A rare term carries the question
   * ("kotlin" in a question about a Kotlin module); a word that most chunks hold ("json" in a JSON
   * library) says little either way, so finding it, or not, should move the verdict little. Only
   * the top source's chunks count: terms scattered over three unrelated files are not an answer,
   * and counting them let near-topic questions the store cannot answer pass as known.
   */
  static double coverage(
      Store store, List<String> queryTerms, Store.TermCounts counts, Ranking.Result ranking) {
    String top = ranking.candidates().getFirst().chunk().source();
    Set<String> seen = new HashSet<>(store.terms(top));
    ranking.candidates().stream()
        .filter(c -> c.chunk().source().equals(top))
        .limit(COVERAGE_CHUNKS)
        .forEach(c -> seen.addAll(store.terms(c.chunk().text())));
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
}
