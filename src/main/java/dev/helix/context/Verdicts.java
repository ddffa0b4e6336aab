package dev.helix.context;

import java.util.List;

/** Turns evidence into the verdict, health and recommendation (docs/verdict.md). */
final class Verdicts {
  /** Where to look next when the store cannot answer: the agent's own search, then the user. */
  static final List<String> ESCALATE = List.of("workspace_search", "user");

  /** {@code emptyStore}: the store held no chunk, so nothing was ranked. */
  record Judged(
      Ranking.Result ranking, List<String> terms, Evidence.Score score, boolean emptyStore) {}

  record Outcome(Verdict verdict, Health health, Recommendation recommendation) {}

  private Verdicts() {}

  /** The largest fused score possible: first in every ranker that took part. */
  static double maxFused(Ranking.Result r) {
    return r.rankers();
  }

  static Outcome decide(
      Judged j, boolean topStale, List<String> staleSources, List<Citation> citations) {
    Evidence.Score s = j.score();
    double freshness =
        citations.isEmpty()
            ? 1
            : citations.stream().filter(c -> !c.stale()).count() / (double) citations.size();
    double coverage = round(s.coverage());
    if (j.ranking().candidates().isEmpty() || s.confidence() < Evidence.NO_MATCH) {
      return new Outcome(
          new Verdict.Miss(MissReason.NO_MATCH, ESCALATE, List.of()),
          new Health(Health.Status.ABSTAIN, coverage, 1),
          Recommendation.ESCALATE);
    }
    if (!s.know()) {
      return new Outcome(
          new Verdict.Miss(MissReason.SPARSE, ESCALATE, staleSources),
          new Health(Health.Status.SPARSE, coverage, round(freshness)),
          Recommendation.VERIFY);
    }
    if (topStale) {
      return new Outcome(
          new Verdict.Miss(MissReason.STALE, List.of(), staleSources),
          new Health(Health.Status.STALE, coverage, round(freshness)),
          Recommendation.REFRESH);
    }
    List<Ranking.Candidate> c = j.ranking().candidates();
    double max = maxFused(j.ranking());
    double top = c.getFirst().fused() / max;
    double second = j.ranking().nextFileFused() / max;
    return new Outcome(
        new Verdict.Know(round(s.confidence()), round(top), round(top - second)),
        new Health(Health.Status.ALIGNED, coverage, round(freshness)),
        staleSources.isEmpty() ? Recommendation.TRUST : Recommendation.VERIFY);
  }

  static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
