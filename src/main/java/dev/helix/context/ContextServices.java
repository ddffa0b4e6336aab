package dev.helix.context;

import dev.helix.config.HelixConfig;
import java.io.IOException;

/** Opens the {@link ContextService} over the configured store. */
public final class ContextServices {
  private ContextServices() {}

  /**
   * Opens the store at {@code [store] path} for reading and writing.
   *
   * <p>Placeholder until the Lucene store lands: answers every query with a {@code no_match} miss
   * and refuses ingest.
   */
  public static ContextService open(HelixConfig config) throws IOException {
    return new EmptyContextService();
  }
}
