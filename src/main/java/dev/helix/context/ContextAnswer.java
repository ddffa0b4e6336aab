package dev.helix.context;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The answer to {@code POST /context}: one object whatever the verdict, with the verdict's fields
 * beside it at the top level (SPEC §6).
 */
public record ContextAnswer(
    Verdict verdict,
    String context,
    List<Citation> citations,
    Health health,
    Recommendation recommendation,
    long latencyMs,
    List<String> warnings,
    long indexVersion) {

  /** An answer that names no index version (0). */
  public ContextAnswer(Verdict verdict, String context, List<Citation> citations, Health health,
      Recommendation recommendation, long latencyMs, List<String> warnings) {
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

  /** The exact JSON object of SPEC §6. */
  public Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("verdict", verdict.word());
    json.putAll(verdict.fields(true));
    json.put("context", context);
    json.put("citations", citations.stream().map(ContextAnswer::citationJson).toList());
    Map<String, Object> h = new LinkedHashMap<>();
    h.put("status", health.status().word());
    h.put("coverage", health.coverage());
    h.put("freshness", health.freshness());
    json.put("health", h);
    json.put("recommendation", recommendation.word());
    json.put("latency_ms", latencyMs);
    json.put("warnings", warnings);
    json.put("index_version", indexVersion);
    return json;
  }

  static Map<String, Object> citationJson(Citation c) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("chunk_id", c.chunkId());
    json.put("source", c.source());
    json.put("lines", List.of(c.startLine(), c.endLine()));
    json.put("score", c.score());
    json.put("stale", c.stale());
    return json;
  }
}
