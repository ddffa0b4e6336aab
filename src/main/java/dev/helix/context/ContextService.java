package dev.helix.context;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What the server, the CLI and the chat proxy ask of helix's knowledge: context windows, evidence
 * packets, ingest and totals. One instance owns one open store; it is thread-safe.
 */
public interface ContextService extends AutoCloseable {
  /** The cited, budgeted window for a query, with its know/miss verdict ({@code POST /context}). */
  ContextAnswer context(ContextRequest request) throws IOException;

  /** Evidence sorted by freshness for a task ({@code POST /context/packet}). */
  PacketAnswer packet(PacketRequest request) throws IOException;

  /** Indexes files and folders, incrementally; acknowledges only what is committed. */
  IngestReport ingest(List<Path> paths, IngestProgress progress) throws IOException;

  /**
   * Waits until every chunk has its vector (a no-op with {@code [store] embeddings = false}),
   * telling {@code progress} how many are done; the CLI calls it after an ingest, the server never
   * waits.
   */
  default void awaitVectors(IngestProgress progress) throws IOException, InterruptedException {}

  /** Indexes posted content that has no file behind it (never stale). */
  IngestedContent ingestContent(String content, ContentType type, @Nullable String source) throws IOException;

  /** The store's totals. */
  StoreStats stats() throws IOException;

  /**
   * Whether the store is open: a service opened in the background ({@link
   * ContextServices#openInBackground}) is not until its open finishes, and every other call waits
   * for it meanwhile.
   */
  default boolean ready() {
    return true;
  }

  /** Why the store could not be opened, or null while it opens or once it is open. */
  default @Nullable String openError() {
    return null;
  }

  @Override
  void close() throws IOException;
}
