package dev.helix.context;

import java.util.List;
import java.util.Objects;

/** A {@code /context} query, its budget and its scope ({@code roots}: names; empty: everything). */
public record ContextRequest(String query, int maxTokens, int maxChunks, List<String> roots) {
  /** A query over the whole store. */
  public ContextRequest(String query, int maxTokens, int maxChunks) {
    this(query, maxTokens, maxChunks, List.of());
  }

  public ContextRequest {
    Objects.requireNonNull(query, "query");
    roots = List.copyOf(roots);
    if (query.isBlank()) {
      throw new IllegalArgumentException("query must not be empty");
    }
    if (maxTokens <= 0 || maxChunks <= 0) {
      throw new IllegalArgumentException(
          "max_tokens and max_chunks must be positive, but were "
              + maxTokens
              + " and "
              + maxChunks);
    }
  }
}
