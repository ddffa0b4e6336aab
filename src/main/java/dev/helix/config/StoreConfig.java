package dev.helix.config;

import java.nio.file.Path;
import java.util.Objects;

/** The {@code [store]} section: where the store lives and what ingest accepts. */
public record StoreConfig(Path path, boolean embeddings, long maxFileBytes) {
  public StoreConfig {
    Objects.requireNonNull(path, "path");
  }
}
