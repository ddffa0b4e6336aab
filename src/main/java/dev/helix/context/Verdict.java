package dev.helix.context;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Whether helix knows the answer to a query: {@link Know} or {@link Miss} (never a pretence). In
 * JSON (docs/api.md) a verdict is unwrapped into its answer: {@code verdict} beside know's {@code
 * confidence, top_score, score_gap} or miss's {@code reason, escalate_to, refresh_targets,
 * do_not_answer_from_context}.
 */
@JsonPropertyOrder({"verdict"})
public sealed interface Verdict {
  /** Strong, fresh evidence. */
  record Know(double confidence, double topScore, double scoreGap) implements Verdict {}

  /**
   * No usable evidence: nothing matched, the match is weak ({@code sparse}), or its source changed
   * or vanished since it was indexed ({@code stale}). Callers must not answer from the context.
   */
  record Miss(MissReason reason, List<String> escalateTo, List<String> refreshTargets)
      implements Verdict {
    public Miss {
      escalateTo = List.copyOf(escalateTo);
      refreshTargets = List.copyOf(refreshTargets);
    }

    /** Always true: said in every miss so that a caller reading only the JSON cannot miss it. */
    @JsonProperty("do_not_answer_from_context")
    public boolean doNotAnswerFromContext() {
      return true;
    }
  }

  /** {@code know} or {@code miss}, as in JSON and the {@code X-Helix-Context} header. */
  @JsonProperty("verdict")
  default String word() {
    return switch (this) {
      case Know k -> "know";
      case Miss m -> "miss";
    };
  }

  /** The verdict that JSON fields describe, as an answer read back from a server has them. */
  static Verdict of(
      String word,
      double confidence,
      double topScore,
      double scoreGap,
      @Nullable MissReason reason,
      @Nullable List<String> escalateTo,
      @Nullable List<String> refreshTargets) {
    return switch (word) {
      case "know" -> new Know(confidence, topScore, scoreGap);
      case "miss" ->
          new Miss(
              reason == null ? MissReason.NO_MATCH : reason,
              escalateTo == null ? List.of() : escalateTo,
              refreshTargets == null ? List.of() : refreshTargets);
      default ->
          throw new IllegalArgumentException(
              "verdict: unknown value '" + word + "'; expected know or miss");
    };
  }
}
