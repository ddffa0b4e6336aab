package dev.helix.context;

import dev.helix.compress.Tokens;
import dev.helix.config.HelixConfig;
import dev.helix.store.Store;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/** Opens the {@link ContextService} over the configured store. */
public final class ContextServices {
  private ContextServices() {}

  /**
   * Opens the store at {@code [store] path} for reading and writing, taking its write lock (a
   * second writer gets an error naming the process that holds it). Fast on a large store: nothing
   * is scanned at open, and the embedding model loads on first use. With {@code [store] embeddings}
   * on, vectors are filled in behind ingests on a background thread.
   */
  public static ContextService open(HelixConfig config) throws IOException {
    return open(config, Clock.systemUTC(), false);
  }

  /**
   * Like {@link #open(HelixConfig)}, but returns at once and opens the store on a background
   * thread: {@link ContextService#ready()} turns true when it is open, and every other call waits
   * for the open (or fails with its error). The server uses it so {@code GET /health} answers while
   * a big store opens.
   */
  public static ContextService openInBackground(HelixConfig config) {
    return openInBackground(config, new Tokens());
  }

  /**
   * As {@link #openInBackground(HelixConfig)}, counting with {@code tokens}, the server's own
   * counter.
   */
  public static ContextService openInBackground(HelixConfig config, Tokens tokens) {
    Path dir = config.store().path().toAbsolutePath().normalize();
    return new OpeningContextService(dir, () -> open(config, Clock.systemUTC(), false, tokens));
  }

  /**
   * Opens the store read-only: no write lock, so it works while another process (a server, an
   * ingest) writes; it sees each of that process's commits. Ingest is refused.
   */
  public static ContextService openReadOnly(HelixConfig config) throws IOException {
    return open(config, Clock.systemUTC(), true);
  }

  static ContextService open(HelixConfig config, Clock clock, boolean readOnly) throws IOException {
    return open(config, clock, readOnly, new Tokens());
  }

  /** Tokens loads its tables on first count, so a counter costs nothing until a window is cut. */
  private static ContextService open(
      HelixConfig config, Clock clock, boolean readOnly, Tokens tokens) throws IOException {
    Path dir = config.store().path().toAbsolutePath().normalize();
    if (config.store().onOpenSearch()) {
      // A cluster has no write lock to take: read-only and writable open alike. No embedder: the
      // OpenSearch store keeps no vectors yet and ranks lexically (docs/opensearch.md).
      Store store = Store.openOpenSearch(config.store().opensearch());
      return new LocalContextService(
          store, null, lazy(Tokens::new), clock, config.store().maxFileBytes(), dir, !readOnly);
    }
    Store store = readOnly ? Store.openReadOnly(dir) : Store.openWritable(dir);
    Embedder embedder = config.store().embeddings() ? new MiniLmEmbedder() : null;
    return new LocalContextService(
        store, embedder, () -> tokens, clock, config.store().maxFileBytes(), dir, !readOnly);
  }

  /** A value made on first use, once, thread-safely. */
  static <T> Supplier<T> lazy(Supplier<T> make) {
    return new Supplier<>() {
      private volatile @Nullable T value;

      @Override
      public synchronized T get() {
        T v = value;
        if (v == null) {
          v = make.get();
          value = v;
        }
        return v;
      }
    };
  }
}
