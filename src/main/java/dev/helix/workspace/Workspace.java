package dev.helix.workspace;

import dev.helix.context.ContextService;
import dev.helix.context.RemovedRoot;
import dev.helix.context.RootStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every root of the store in step with its folder while the server runs (docs/workspaces.md).
 * Each root has a {@link RootWatch}; one thread applies what they saw, a root at a time, once its
 * events settle ({@link #QUIET_MS}) or have waited {@link #MAX_DELAY_MS}, so a save is searchable
 * well within 2 s and a branch switch of thousands of files is one batch. Nothing runs while
 * nothing changes, except a check every {@link #RECHECK_MS} for a root whose folder is gone or that
 * cannot be watched.
 */
public final class Workspace implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Workspace.class);

  /**
   * A save's events (write, rename, attributes) arrive within a few ms: wait this long for quiet.
   */
  static final long QUIET_MS = 100;

  /** A steady stream of events is still applied this often. */
  static final long MAX_DELAY_MS = 700;

  /** How often a gone or unwatchable root is looked at again, only while there is one. */
  static final long RECHECK_MS = 2_000;

  /** How often an unwatchable root is rescanned and its watch retried. */
  static final long RETRY_MS = 60_000;

  /** How long a lost-events warning stays in /health. */
  static final long WARNING_MS = 10 * 60_000;

  private final ContextService context;
  private final boolean enabled;
  private final @Nullable Path storeDir;
  private final Map<String, RootWatch> watches = new ConcurrentHashMap<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition work = lock.newCondition();
  private final Thread worker;

  /**
   * Asked-for and done reconciliations of watches with the store's roots: equal when they match.
   */
  private final java.util.concurrent.atomic.AtomicLong reconcilesWanted =
      new java.util.concurrent.atomic.AtomicLong(1);

  private volatile long reconcilesDone;
  private volatile boolean closed;
  private boolean signalled;

  /** {@code enabled}: {@code [store] watch}; off, roots are listed but never watched. */
  public Workspace(ContextService context, boolean enabled, @Nullable Path storeDir) {
    this.context = context;
    this.enabled = enabled;
    this.storeDir = storeDir;
    this.worker = Thread.ofPlatform().daemon().name("helix-workspace").unstarted(this::loop);
  }

  /**
   * Starts watching every root, in the background: it waits for the store to open, then each root
   * is watched and rescanned once, which picks up what changed while the server was down.
   */
  public void start() {
    if (enabled) {
      worker.start();
    }
  }

  /** The roots changed (an ingest added some, one was removed): watch exactly those there are. */
  public void rootsChanged() {
    reconcilesWanted.incrementAndGet();
    signal();
  }

  /**
   * Every root, with what its watch knows: pending files, whether it is watched, gone or failing.
   */
  public List<RootStatus> roots() throws IOException {
    List<RootStatus> out = new ArrayList<>();
    for (RootStatus r : context.roots()) {
      RootWatch w = watches.get(r.name());
      if (w == null) {
        out.add(r);
        continue;
      }
      RootStatus.State state =
          w.gone
              ? RootStatus.State.GONE
              : w.error != null && !w.watching
                  ? RootStatus.State.ERROR
                  : w.pending() > 0 && r.state() == RootStatus.State.SYNCED
                      ? RootStatus.State.SYNCING
                      : null;
      out.add(r.live(w.pending(), w.watching, state, w.watching ? null : w.error));
    }
    return out;
  }

  /** Files waiting to be applied, over every root. */
  public long pending() {
    return watches.values().stream().mapToLong(RootWatch::pending).sum();
  }

  /** Whether watching is on and every root whose folder is there is watched. */
  public boolean watching() {
    return enabled
        && !closed
        && reconcilesDone == reconcilesWanted.get()
        && watches.values().stream().allMatch(w -> w.watching || w.gone);
  }

  /** Recent warnings: lost events, roots that cannot be watched. */
  public List<String> warnings() {
    List<String> out = new ArrayList<>();
    long now = System.currentTimeMillis();
    for (RootWatch w : watches.values()) {
      String warning = w.warning;
      if (warning != null && now - w.warningAtMillis < WARNING_MS) {
        out.add(warning);
      }
      String error = w.error;
      if (error != null && !w.watching) {
        out.add("root " + w.name + ": " + error);
      }
    }
    return out;
  }

  /** Stops watching the root and removes it with every source no other root holds. */
  public RemovedRoot remove(String name) throws IOException {
    RootWatch w = watches.remove(name);
    if (w != null) {
      w.close();
    }
    return context.removeRoot(name);
  }

  /** Tells the root's watch that events were lost, as the platform does on a queue overflow. */
  void lost(String name, String why) {
    RootWatch w = watches.get(name);
    if (w != null) {
      w.lost(why);
    }
  }

  private void signal() {
    lock.lock();
    try {
      signalled = true;
      work.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void loop() {
    while (!closed) {
      try {
        long wanted = reconcilesWanted.get();
        if (reconcilesDone != wanted) {
          reconcile();
          reconcilesDone = wanted;
        }
        recheck();
        RootWatch ready = await();
        if (ready != null) {
          apply(ready);
        }
      } catch (InterruptedException e) {
        return;
      } catch (IOException | RuntimeException e) {
        if (closed) {
          return;
        }
        if (context.openError() != null) {
          // The store never opened: there is nothing to keep in sync, and /health already says why.
          log.warn("workspace: not watching any root: {}", context.openError());
          return;
        }
        log.warn("workspace: {}; trying again in {} s", e.toString(), RECHECK_MS / 1000);
        reconcilesWanted.incrementAndGet();
        pause(RECHECK_MS);
      }
    }
  }

  /** Watches every root the store holds and stops watching any it no longer does. */
  private void reconcile() throws IOException {
    Set<String> names = new HashSet<>();
    for (RootStatus r : context.roots()) {
      names.add(r.name());
      RootWatch w = watches.get(r.name());
      if (w != null && w.path.toString().equals(r.path())) {
        continue;
      }
      if (w != null) {
        w.close();
      }
      RootWatch fresh = new RootWatch(r.name(), Path.of(r.path()), storeDir, this::signal);
      watches.put(r.name(), fresh);
      fresh.watchPresence();
      if (Files.exists(fresh.path)) {
        fresh.start();
        // What changed while nobody watched (the server was down, the ingest was finishing).
        fresh.rescan = true;
      } else {
        fresh.gone = true;
      }
    }
    for (RootWatch w : List.copyOf(watches.values())) {
      if (!names.contains(w.name)) {
        watches.remove(w.name, w);
        w.close();
      }
    }
  }

  /**
   * A gone root that came back, or an unwatchable one due for its retry, is watched and rescanned.
   */
  private void recheck() {
    long now = System.nanoTime();
    for (RootWatch w : watches.values()) {
      if (w.presenceChanged) {
        w.presenceChanged = false;
        boolean there = Files.exists(w.path);
        if (!there && !w.gone) {
          log.warn(
              "root {}: its folder {} is gone; its sources stay, cited as stale, until it returns or is removed",
              w.name,
              w.path);
          w.gone = true;
          w.stopContentWatch();
          continue;
        }
        if (there) {
          // Back, replaced, or touched: the old watch may follow a folder that is no longer this
          // path.
          log.info(
              "root {}: its folder {} is there{}; watching and syncing it",
              w.name,
              w.path,
              w.gone ? " again" : "");
          w.stopContentWatch();
          w.start();
          w.rescan = true;
          continue;
        }
      }
      if (w.rewatch && w.watching) {
        // A folder an ignore file no longer excludes must be watched too (and one it now excludes
        // need not be).
        w.rewatch = false;
        w.stopContentWatch();
        w.start();
        w.rescan = true;
        continue;
      }
      if (w.watching) {
        continue;
      }
      boolean back = w.gone && Files.exists(w.path);
      boolean retry =
          !w.gone && now - w.lastWatchAttemptNanos >= TimeUnit.MILLISECONDS.toNanos(RETRY_MS);
      if (back || retry) {
        if (back) {
          log.info("root {}: its folder {} is back; syncing it", w.name, w.path);
        }
        w.start();
        w.rescan = true;
      } else if (!w.gone && !Files.exists(w.path)) {
        w.gone = true;
      }
    }
  }

  /**
   * Waits for a root whose changes have settled: without a timeout while every root is watched and
   * quiet (no polling), with one while a root is gone or unwatched, or while events settle.
   */
  private @Nullable RootWatch await() throws InterruptedException {
    lock.lock();
    try {
      while (!closed && reconcilesDone == reconcilesWanted.get()) {
        if (watches.values().stream().anyMatch(w -> w.presenceChanged || w.rewatch)) {
          return null;
        }
        long now = System.nanoTime();
        long waitNanos = Long.MAX_VALUE;
        for (RootWatch w : watches.values()) {
          if (w.hasWork()) {
            long due =
                Math.min(
                    w.lastChangeNanos + TimeUnit.MILLISECONDS.toNanos(QUIET_MS),
                    w.firstChangeNanos + TimeUnit.MILLISECONDS.toNanos(MAX_DELAY_MS));
            if (due <= now) {
              return w;
            }
            waitNanos = Math.min(waitNanos, due - now);
          } else if (!w.watching) {
            waitNanos = Math.min(waitNanos, TimeUnit.MILLISECONDS.toNanos(RECHECK_MS));
          }
        }
        signalled = false;
        if (waitNanos == Long.MAX_VALUE) {
          while (!signalled && !closed) {
            work.await();
          }
        } else {
          work.awaitNanos(waitNanos);
          if (waitNanos >= TimeUnit.MILLISECONDS.toNanos(RECHECK_MS) && !signalled) {
            return null;
          }
        }
      }
      return null;
    } finally {
      lock.unlock();
    }
  }

  /** Applies one root's settled changes; a failed batch is put back and tried again. */
  private void apply(RootWatch w) {
    if (!Files.exists(w.path)) {
      // The folder is gone (or going): its sources stay, cited as stale, until it returns.
      w.gone = true;
      w.drain();
      return;
    }
    w.gone = false;
    List<Path> paths = w.drain();
    if (paths.isEmpty()) {
      return;
    }
    w.applying = paths.size();
    long t0 = System.nanoTime();
    try {
      var report = context.changes(w.name, paths);
      log.debug(
          "root {}: {} paths applied in {} ms: {} indexed, {} removed",
          w.name,
          paths.size(),
          (System.nanoTime() - t0) / 1_000_000,
          report.files(),
          report.removed());
    } catch (IOException | RuntimeException e) {
      log.warn(
          "root {}: applying {} changed paths failed ({}); trying again shortly",
          w.name,
          paths.size(),
          e.toString());
      w.retry(paths);
      pause(RECHECK_MS);
    } finally {
      w.applying = 0;
    }
  }

  /** Waits {@code ms}, or less when the workspace closes. */
  private void pause(long ms) {
    lock.lock();
    try {
      long left = TimeUnit.MILLISECONDS.toNanos(ms);
      while (!closed && left > 0) {
        left = work.awaitNanos(left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    closed = true;
    // Never interrupted: an interrupt inside Lucene's file I/O closes the store's channels.
    signal();
    watches.values().forEach(RootWatch::close);
    watches.clear();
    try {
      worker.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
