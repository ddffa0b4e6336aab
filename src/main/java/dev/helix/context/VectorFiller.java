package dev.helix.context;

import dev.helix.store.Store;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fills in vectors behind ingest, on one background thread: lexical answers are available as soon
 * as a file's commit lands, and dense ranking joins in as vectors arrive. It pauses while an ingest
 * runs (both would fight for the same two cores) and commits every few seconds, so a crash loses
 * little embedding work and never a file.
 */
final class VectorFiller implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(VectorFiller.class);

  /** Commit filled vectors at least this often (ms). */
  private static final long COMMIT_EVERY_MS = 3_000;

  /** Sources embedded per round (one model call for all their chunks). */
  private static final int BATCH_SOURCES = 8;

  private final Store store;
  private final Embedder embedder;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final Thread thread;
  private int pauses;
  private boolean idle;
  private volatile boolean closed;
  private long filled;

  VectorFiller(Store store, Embedder embedder) {
    this.store = store;
    this.embedder = embedder;
    this.thread = Thread.ofPlatform().daemon().name("helix-vectors").unstarted(this::loop);
  }

  void start() {
    thread.start();
  }

  /** Holds the filler while an ingest runs. */
  void pause() {
    lock.lock();
    try {
      pauses++;
    } finally {
      lock.unlock();
    }
  }

  void resume() {
    lock.lock();
    try {
      pauses--;
      idle = false;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Waits until no chunk lacks its vector, telling {@code progress} how many are done. */
  void await(IngestProgress progress) throws IOException, InterruptedException {
    long total = store.chunksMissingVectors();
    while (!closed) {
      long missing = store.chunksMissingVectors();
      progress.update(total - missing, total, 0);
      if (missing == 0) {
        store.commit();
        return;
      }
      lock.lock();
      try {
        idle = false;
        changed.signalAll();
        changed.await(250, TimeUnit.MILLISECONDS);
      } finally {
        lock.unlock();
      }
    }
  }

  private void loop() {
    long lastCommit = System.nanoTime();
    long uncommitted = 0;
    while (!closed) {
      try {
        lock.lock();
        try {
          while (!closed && (pauses > 0 || idle)) {
            changed.await(5, TimeUnit.SECONDS);
            if (pauses == 0) {
              idle = false;
            }
          }
        } finally {
          lock.unlock();
        }
        if (closed) {
          break;
        }
        List<String> sources = store.sourcesMissingVectors(BATCH_SOURCES);
        if (!closed && pauses == 0) {
          uncommitted += fill(sources);
        }
        boolean due = System.nanoTime() - lastCommit > COMMIT_EVERY_MS * 1_000_000;
        if (uncommitted > 0 && (due || sources.isEmpty())) {
          store.commit();
          lastCommit = System.nanoTime();
          uncommitted = 0;
        }
        if (sources.isEmpty()) {
          lock.lock();
          try {
            idle = true;
            changed.signalAll();
          } finally {
            lock.unlock();
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (IOException | RuntimeException e) {
        if (closed) {
          return;
        }
        log.warn(
            "filling vectors failed, retrying in 5 s (dense ranking stays partial until then): {}",
            e.toString());
        try {
          Thread.sleep(5_000);
        } catch (InterruptedException ie) {
          return;
        }
      }
    }
  }

  /**
   * Embeds the chunks of several sources in one call (the model's executor spreads one call's texts
   * over the cores) and adds each source's vectors, unless it was replaced meanwhile.
   */
  private long fill(List<String> sources) throws IOException {
    record Pending(String source, String sha256, List<Store.Chunk> chunks) {}
    List<Pending> pending = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    for (String source : sources) {
      Optional<Store.Source> s = store.source(source);
      if (s.isEmpty()) {
        continue;
      }
      List<Store.Chunk> chunks = store.chunksOf(source);
      pending.add(new Pending(source, s.get().sha256(), chunks));
      chunks.forEach(c -> texts.add(Embedder.chunkText(c.source(), c.text())));
    }
    List<float[]> vectors = texts.isEmpty() ? List.of() : embedder.embedAll(texts);
    long added = 0;
    int at = 0;
    for (Pending p : pending) {
      Map<String, float[]> byId = new LinkedHashMap<>();
      for (Store.Chunk c : p.chunks()) {
        byId.put(c.id(), vectors.get(at++));
      }
      if (store.addVectors(p.source(), p.sha256(), byId)) {
        added += p.chunks().size();
      }
    }
    filled += added;
    return added;
  }

  long filled() {
    return filled;
  }

  @Override
  public void close() {
    closed = true;
    lock.lock();
    try {
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    try {
      thread.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the caller's close goes on; the thread ends by itself
    }
  }
}
