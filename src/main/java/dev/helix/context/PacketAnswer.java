package dev.helix.context;

import java.util.List;
import java.util.Map;

/**
 * The answer to {@code POST /context/packet}: {@code {verdict, verified[], stale_risk[],
 * refresh_targets[]}}, evidence sorted by freshness. Items are JSON objects (see the implementation's
 * docs for their fields).
 */
public record PacketAnswer(
    Verdict verdict,
    List<Map<String, Object>> verified,
    List<Map<String, Object>> staleRisk,
    List<String> refreshTargets) {

  public PacketAnswer {
    verified = List.copyOf(verified);
    staleRisk = List.copyOf(staleRisk);
    refreshTargets = List.copyOf(refreshTargets);
  }

  /** The exact JSON object of SPEC §6. */
  public Map<String, Object> toJson() {
    return Map.of(
        "verdict", verdict.word(),
        "verified", verified,
        "stale_risk", staleRisk,
        "refresh_targets", refreshTargets);
  }
}
