package dev.helix.context;

import java.util.List;
import java.util.Objects;

/**
 * A {@code /context/packet} request; {@code roots}: the names it is scoped to (empty: everything).
 */
public record PacketRequest(String query, TaskType taskType, int maxChunks, List<String> roots) {
  /** A request over the whole store. */
  public PacketRequest(String query, TaskType taskType, int maxChunks) {
    this(query, taskType, maxChunks, List.of());
  }

  public PacketRequest {
    Objects.requireNonNull(query, "query");
    roots = List.copyOf(roots);
    Objects.requireNonNull(taskType, "taskType");
    if (query.isBlank()) {
      throw new IllegalArgumentException("query must not be empty");
    }
    if (maxChunks <= 0) {
      throw new IllegalArgumentException("max_chunks must be positive, but was " + maxChunks);
    }
  }
}
