package dev.helix.context;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The answer to {@code POST /context/packet}: {@code {verdict, verified[], stale_risk[],
 * refresh_targets[]}}, evidence sorted by freshness, with the verdict's fields beside it as in
 * {@link ContextAnswer} (but for a miss's refresh targets, which the packet carries itself).
 */
public record PacketAnswer(
    @JsonUnwrapped @JsonIgnoreProperties("refresh_targets") Verdict verdict,
    List<PacketItem> verified,
    List<PacketItem> staleRisk,
    List<String> refreshTargets,
    long indexVersion) {

  /** An answer that names no index version (0). */
  public PacketAnswer(
      Verdict verdict,
      List<PacketItem> verified,
      List<PacketItem> staleRisk,
      List<String> refreshTargets) {
    this(verdict, verified, staleRisk, refreshTargets, 0);
  }

  /** This answer, saying which index version it saw. */
  public PacketAnswer withIndexVersion(long version) {
    return new PacketAnswer(verdict, verified, staleRisk, refreshTargets, version);
  }

  public PacketAnswer {
    verified = List.copyOf(verified);
    staleRisk = List.copyOf(staleRisk);
    refreshTargets = List.copyOf(refreshTargets);
  }

  /** The answer a server sent; a miss's refresh targets are the packet's own. */
  @JsonCreator
  static PacketAnswer read(
      @JsonProperty("verdict") String verdict,
      @JsonProperty("confidence") double confidence,
      @JsonProperty("top_score") double topScore,
      @JsonProperty("score_gap") double scoreGap,
      @JsonProperty("reason") @Nullable MissReason reason,
      @JsonProperty("escalate_to") @Nullable List<String> escalateTo,
      @JsonProperty("verified") @Nullable List<PacketItem> verified,
      @JsonProperty("stale_risk") @Nullable List<PacketItem> staleRisk,
      @JsonProperty("refresh_targets") @Nullable List<String> refreshTargets,
      @JsonProperty("index_version") long indexVersion) {
    List<String> refresh = refreshTargets == null ? List.of() : refreshTargets;
    return new PacketAnswer(
        Verdict.of(verdict, confidence, topScore, scoreGap, reason, escalateTo, refresh),
        verified == null ? List.of() : verified,
        staleRisk == null ? List.of() : staleRisk,
        refresh,
        indexVersion);
  }
}
