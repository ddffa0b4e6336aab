package dev.helix.context;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Objects;

/**
 * Where one piece of the context window came from: a chunk, its source and 1-based lines; in JSON
 * {@code {chunk_id, source, lines: [start, end], score, stale}}.
 */
@JsonPropertyOrder({"chunk_id", "source", "lines", "score", "stale"})
public record Citation(
    String chunkId,
    String source,
    @JsonIgnore int startLine,
    @JsonIgnore int endLine,
    double score,
    boolean stale) {
  public Citation {
    Objects.requireNonNull(chunkId, "chunkId");
    Objects.requireNonNull(source, "source");
  }

  /** The first and last line, as JSON pairs them. */
  @JsonProperty("lines")
  public List<Integer> lines() {
    return List.of(startLine, endLine);
  }

  @JsonCreator
  static Citation read(
      @JsonProperty("chunk_id") String chunkId,
      @JsonProperty("source") String source,
      @JsonProperty("lines") List<Integer> lines,
      @JsonProperty("score") double score,
      @JsonProperty("stale") boolean stale) {
    if (lines == null || lines.size() != 2) {
      throw new IllegalArgumentException("lines: expected [start, end], got " + lines);
    }
    return new Citation(chunkId, source, lines.get(0), lines.get(1), score, stale);
  }
}
