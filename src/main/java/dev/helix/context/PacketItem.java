package dev.helix.context;

import java.util.List;
import java.util.Objects;

/**
 * One piece of evidence in a packet (docs/api.md), freshness checked against the disk.
 *
 * @param lines the first and last line, 1-based
 * @param score the fused score, relative to the best candidate's (0..1)
 * @param freshness unchanged, same_lines, moved, changed or gone
 * @param modifiedAt the file's modification time when indexed (ISO-8601)
 * @param indexedAt when it was indexed (ISO-8601)
 * @param ageS seconds since it was indexed
 */
public record PacketItem(
    String chunkId,
    String source,
    List<Integer> lines,
    double score,
    String freshness,
    boolean stale,
    String modifiedAt,
    String indexedAt,
    long ageS,
    String contentType,
    String language,
    String content) {
  public PacketItem {
    Objects.requireNonNull(chunkId, "chunkId");
    Objects.requireNonNull(source, "source");
    lines = List.copyOf(lines);
  }
}
