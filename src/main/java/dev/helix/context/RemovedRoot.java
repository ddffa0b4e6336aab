package dev.helix.context;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What removing a root took from the store. {@code DELETE /roots/{name}} answers it as {@link
 * Answer}, {@code {"removed": {"sources", "chunks"}}}: the caller named the root, so the JSON does
 * not.
 */
public record RemovedRoot(@JsonIgnore String name, long sources, long chunks) {
  /** Read from a server's answer, which does not repeat the name: it is empty. */
  @JsonCreator
  static RemovedRoot read(
      @JsonProperty("sources") long sources, @JsonProperty("chunks") long chunks) {
    return new RemovedRoot("", sources, chunks);
  }

  /** This removal as {@code DELETE /roots/{name}} answers it. */
  public Answer answer() {
    return new Answer(this);
  }

  /** {@code {"removed": {...}}}. */
  public record Answer(RemovedRoot removed) {}
}
