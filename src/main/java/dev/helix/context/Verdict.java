package dev.helix.context;

import java.util.List;

/** Whether helix knows the answer to a query: {@link Know} or {@link Miss} (never a pretence). */
public sealed interface Verdict {
  /** Strong, fresh evidence. */
  record Know(double confidence, double topScore, double scoreGap) implements Verdict {}

  /**
   * No usable evidence: nothing matched, the match is weak ({@code sparse}), or its source changed
   * or vanished since it was indexed ({@code stale}). Callers must not answer from the context.
   */
  record Miss(MissReason reason, List<String> escalateTo, List<String> refreshTargets) implements Verdict {
    public Miss {
      escalateTo = List.copyOf(escalateTo);
      refreshTargets = List.copyOf(refreshTargets);
    }
  }

  /**
   * The JSON fields of SPEC §6 that stand beside {@code verdict}: know's {@code confidence,
   * top_score, score_gap}; miss's {@code reason, escalate_to, [refresh_targets,]
   * do_not_answer_from_context}. A packet carries refresh_targets at its own top level.
   */
  default java.util.Map<String, Object> fields(boolean withRefreshTargets) {
    java.util.Map<String, Object> json = new java.util.LinkedHashMap<>();
    switch (this) {
      case Know k -> {
        json.put("confidence", k.confidence());
        json.put("top_score", k.topScore());
        json.put("score_gap", k.scoreGap());
      }
      case Miss m -> {
        json.put("reason", m.reason().word());
        json.put("escalate_to", m.escalateTo());
        if (withRefreshTargets) {
          json.put("refresh_targets", m.refreshTargets());
        }
        json.put("do_not_answer_from_context", true);
      }
    }
    return json;
  }

  /** {@code know} or {@code miss}, as in JSON and the {@code X-Helix-Context} header. */
  default String word() {
    return switch (this) {
      case Know k -> "know";
      case Miss m -> "miss";
    };
  }
}
