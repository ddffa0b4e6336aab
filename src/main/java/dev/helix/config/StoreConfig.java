package dev.helix.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The {@code [store]} section: where the store lives, what ingest accepts, and whether a running
 * server follows its roots' changes ({@code watch}).
 */
public record StoreConfig(Path path, boolean embeddings, long maxFileBytes, boolean watch) {
  public StoreConfig {
    Objects.requireNonNull(path, "path");
  }
}
