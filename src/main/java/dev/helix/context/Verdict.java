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

  /** {@code know} or {@code miss}, as in JSON and the {@code X-Helix-Context} header. */
  default String word() {
    return switch (this) {
      case Know k -> "know";
      case Miss m -> "miss";
    };
  }
}
