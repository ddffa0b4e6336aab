package dev.helix.context;

import java.util.Objects;

/** A {@code /context/packet} request. */
public record PacketRequest(String query, TaskType taskType, int maxChunks) {
  public PacketRequest {
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(taskType, "taskType");
    if (query.isBlank()) {
      throw new IllegalArgumentException("query must not be empty");
    }
    if (maxChunks <= 0) {
      throw new IllegalArgumentException("max_chunks must be positive, but was " + maxChunks);
    }
  }
}
