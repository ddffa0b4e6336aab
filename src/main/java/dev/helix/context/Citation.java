package dev.helix.context;

import java.util.Objects;

/** Where one piece of the context window came from: a chunk, its source and 1-based lines. */
public record Citation(String chunkId, String source, int startLine, int endLine, double score, boolean stale) {
  public Citation {
    Objects.requireNonNull(chunkId, "chunkId");
    Objects.requireNonNull(source, "source");
  }
}
