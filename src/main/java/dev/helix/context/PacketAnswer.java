package dev.helix.context;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The answer to {@code POST /context/packet}: {@code {verdict, verified[], stale_risk[],
 * refresh_targets[]}}, evidence sorted by freshness, with the verdict's fields beside it as in
 * {@link ContextAnswer}. Items are JSON objects (see the implementation's
 * docs for their fields).
 */
public record PacketAnswer(
    Verdict verdict,
    List<Map<String, Object>> verified,
    List<Map<String, Object>> staleRisk,
    List<String> refreshTargets,
    long indexVersion) {

  /** An answer that names no index version (0). */
  public PacketAnswer(Verdict verdict, List<Map<String, Object>> verified, List<Map<String, Object>> staleRisk,
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

  /** The exact JSON object of SPEC §6. */
  public Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("verdict", verdict.word());
    json.putAll(verdict.fields(false));
    json.put("verified", verified);
    json.put("stale_risk", staleRisk);
    json.put("refresh_targets", refreshTargets);
    json.put("index_version", indexVersion);
    return json;
  }
}
