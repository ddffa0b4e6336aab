package dev.helix.context;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The answer to {@code POST /context}: one object whatever the verdict, with the verdict's fields
 * beside it at the top level (docs/api.md), in JSON through the shared mapper ({@link
 * dev.helix.text.Json}).
 */
public record ContextAnswer(
    @JsonUnwrapped Verdict verdict,
    String context,
    List<Citation> citations,
    Health health,
    Recommendation recommendation,
    long latencyMs,
    List<String> warnings,
    long indexVersion) {

  /** An answer that names no index version (0). */
  public ContextAnswer(
      Verdict verdict,
      String context,
      List<Citation> citations,
      Health health,
      Recommendation recommendation,
      long latencyMs,
      List<String> warnings) {
    this(verdict, context, citations, health, recommendation, latencyMs, warnings, 0);
  }

  public ContextAnswer {
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(context, "context");
    Objects.requireNonNull(health, "health");
    Objects.requireNonNull(recommendation, "recommendation");
    citations = List.copyOf(citations);
    warnings = List.copyOf(warnings);
  }

  /** The answer a server sent: the verdict's fields stand at the top level beside the others. */
  @JsonCreator
  static ContextAnswer read(
      @JsonProperty("verdict") String verdict,
      @JsonProperty("confidence") double confidence,
      @JsonProperty("top_score") double topScore,
      @JsonProperty("score_gap") double scoreGap,
      @JsonProperty("reason") @Nullable MissReason reason,
      @JsonProperty("escalate_to") @Nullable List<String> escalateTo,
      @JsonProperty("refresh_targets") @Nullable List<String> refreshTargets,
      @JsonProperty("context") String context,
      @JsonProperty("citations") List<Citation> citations,
      @JsonProperty("health") Health health,
      @JsonProperty("recommendation") Recommendation recommendation,
      @JsonProperty("latency_ms") long latencyMs,
      @JsonProperty("warnings") @Nullable List<String> warnings,
      @JsonProperty("index_version") long indexVersion) {
    return new ContextAnswer(
        Verdict.of(verdict, confidence, topScore, scoreGap, reason, escalateTo, refreshTargets),
        context,
        citations == null ? List.of() : citations,
        health,
        recommendation,
        latencyMs,
        warnings == null ? List.of() : warnings,
        indexVersion);
  }
}
