package dev.helix.context;

import dev.helix.store.StoreUnavailableException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A context service whose store opens on a background thread: opening a big writable store in a
 * fresh JVM takes seconds (class loading, the IndexWriter), and the server must answer {@code GET
 * /health} right after it starts. Every call but {@link #ready()} waits for the open; a failed open
 * fails every call with the open's own error.
 */
final class OpeningContextService implements ContextService {
  private static final Logger log = LoggerFactory.getLogger(OpeningContextService.class);

  /** Opens the real service; it may throw. */
  interface Opener {
    ContextService open() throws IOException;
  }

  /** How often an open that found the store's cluster away is tried again. */
  static final Duration RETRY_EVERY = Duration.ofSeconds(5);

  private final CompletableFuture<ContextService> opened = new CompletableFuture<>();
  private final Path storeDir;
  private final Duration retryEvery;
  private final Thread opener;
  // The last failure of an open that is tried again (a cluster down or refusing); null otherwise.
  private volatile @Nullable StoreUnavailableException unavailable;
  private volatile boolean closing;

  OpeningContextService(Path storeDir, Opener opener) {
    this(storeDir, opener, RETRY_EVERY);
  }

  OpeningContextService(Path storeDir, Opener opener, Duration retryEvery) {
    this.storeDir = storeDir;
    this.retryEvery = retryEvery;
    this.opener = Thread.ofPlatform().daemon().name("helix-store-open").start(() -> open(opener));
  }

  private void open(Opener opener) {
    long t0 = System.nanoTime();
    while (true) {
      try {
        opened.complete(opener.open());
        unavailable = null;
        log.info("store at {} open after {} ms", storeDir, (System.nanoTime() - t0) / 1_000_000);
        return;
      } catch (StoreUnavailableException e) {
        // A cluster that is down or refusing now may be back in a minute: the server keeps
        // answering (503 for the store, chat without context) and tries again.
        if (unavailable == null) {
          log.warn(
              "the store cannot be opened yet, trying again every {} s: {}",
              retryEvery.toSeconds(),
              e.getMessage());
        }
        unavailable = e;
        try {
          if (closing) {
            throw new InterruptedException();
          }
          Thread.sleep(retryEvery);
        } catch (InterruptedException stop) {
          opened.completeExceptionally(e);
          return;
        }
      } catch (IOException | RuntimeException | Error e) {
        log.error("opening the store at {} failed: {}", storeDir, e.getMessage());
        opened.completeExceptionally(e);
        return;
      }
    }
  }

  @Override
  public boolean ready() {
    return opened.isDone() && !opened.isCompletedExceptionally();
  }

  @Override
  public @Nullable String openError() {
    StoreUnavailableException away = unavailable;
    if (!opened.isDone() && away != null) {
      return "the store cannot be opened yet (trying again every "
          + retryEvery.toSeconds()
          + " s): "
          + away.getMessage();
    }
    if (!opened.isCompletedExceptionally()) {
      return null;
    }
    try {
      opened.join();
      return null;
    } catch (RuntimeException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      return "opening the store at " + storeDir + " failed: " + cause.getMessage();
    }
  }

  private ContextService service() throws IOException {
    StoreUnavailableException away = unavailable;
    if (!opened.isDone() && away != null) {
      throw new StoreUnavailableException(away.url(), away.getMessage(), away);
    }
    try {
      return opened.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(
          "interrupted while waiting for the store at " + storeDir + " to open", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof StoreUnavailableException down) {
        throw new StoreUnavailableException(down.url(), down.getMessage(), down);
      }
      if (cause instanceof IOException io) {
        throw new IOException(io.getMessage(), io);
      }
      throw new IOException("opening the store at " + storeDir + " failed: " + cause, cause);
    }
  }

  @Override
  public ContextAnswer context(ContextRequest request) throws IOException {
    return service().context(request);
  }

  @Override
  public PacketAnswer packet(PacketRequest request) throws IOException {
    return service().packet(request);
  }

  @Override
  public IngestReport ingest(
      List<Path> paths, List<@Nullable String> names, IngestProgress progress) throws IOException {
    return service().ingest(paths, names, progress);
  }

  @Override
  public IngestReport sync(IngestProgress progress) throws IOException {
    return service().sync(progress);
  }

  @Override
  public IngestReport changes(String name, Collection<Path> paths) throws IOException {
    return service().changes(name, paths);
  }

  @Override
  public List<RootStatus> roots() throws IOException {
    return service().roots();
  }

  @Override
  public RemovedRoot removeRoot(String name) throws IOException {
    return service().removeRoot(name);
  }

  @Override
  public SourceLines lines(String source, int start, int end) throws IOException {
    return service().lines(source, start, end);
  }

  @Override
  public long indexVersion() throws IOException {
    return service().indexVersion();
  }

  @Override
  public void awaitVectors(IngestProgress progress) throws IOException, InterruptedException {
    service().awaitVectors(progress);
  }

  @Override
  public IngestedContent ingestContent(String content, ContentType type, @Nullable String source)
      throws IOException {
    return service().ingestContent(content, type, source);
  }

  @Override
  public StoreStats stats() throws IOException {
    return service().stats();
  }

  @Override
  public void close() throws IOException {
    closing = true;
    if (unavailable != null) {
      opener.interrupt(); // an open waiting to try again gives up; one under way finishes
    }
    ContextService s;
    try {
      // An open still running is waited for: closing must release the write lock it takes.
      s = opened.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } catch (ExecutionException e) {
      return;
    }
    s.close();
  }
}
