package dev.helix.context;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
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

  /**
   * Indexes files and folders, incrementally, recording each as a root named after its folder;
   * acknowledges only what is committed.
   */
  default IngestReport ingest(List<Path> paths, IngestProgress progress) throws IOException {
    return ingest(paths, List.of(), progress);
  }

  /**
   * As {@link #ingest(List, IngestProgress)}, naming the roots: {@code names} is empty (every root
   * named after its folder) or one name, or null for the default, per path.
   */
  IngestReport ingest(List<Path> paths, List<@Nullable String> names, IngestProgress progress)
      throws IOException;

  /** Re-syncs every root whose folder is there ({@code helix ingest} with no path). */
  IngestReport sync(IngestProgress progress) throws IOException;

  /**
   * Applies the changes a watcher saw under the root {@code name}: each path re-read, walked or
   * removed, on one thread so queries keep the other cores. An unknown root does nothing.
   */
  IngestReport changes(String name, Collection<Path> paths) throws IOException;

  /** Every root with its totals and state. */
  List<RootStatus> roots() throws IOException;

  /**
   * Removes a root and every source under it that no other root holds.
   *
   * @throws UnknownRootException naming the roots there are
   */
  RemovedRoot removeRoot(String name) throws IOException;

  /**
   * Lines {@code start..end} (1-based, clamped to the file) of a stored source: only a path the
   * store holds is read, so this never serves an arbitrary file.
   *
   * @throws java.nio.file.NoSuchFileException when the store holds no such source
   */
  SourceLines lines(String source, int start, int end) throws IOException;

  /** The store's index version: it grows with every commit. */
  long indexVersion() throws IOException;

  /**
   * Waits until every chunk has its vector (a no-op with {@code [store] embeddings = false}),
   * telling {@code progress} how many are done; the CLI calls it after an ingest, the server never
   * waits.
   */
  default void awaitVectors(IngestProgress progress) throws IOException, InterruptedException {}

  /** Indexes posted content that has no file behind it (never stale). */
  IngestedContent ingestContent(String content, ContentType type, @Nullable String source)
      throws IOException;

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
