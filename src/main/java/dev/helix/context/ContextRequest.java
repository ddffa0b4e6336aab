package dev.helix.context;

import java.util.Objects;

/** A {@code /context} query and its budget. */
public record ContextRequest(String query, int maxTokens, int maxChunks) {
  public ContextRequest {
    Objects.requireNonNull(query, "query");
    if (query.isBlank()) {
      throw new IllegalArgumentException("query must not be empty");
    }
    if (maxTokens <= 0 || maxChunks <= 0) {
      throw new IllegalArgumentException("max_tokens and max_chunks must be positive, but were "
          + maxTokens + " and " + maxChunks);
    }
  }
}
