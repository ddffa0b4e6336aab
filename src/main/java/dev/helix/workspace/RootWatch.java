package dev.helix.workspace;

import dev.helix.context.IgnoreTree;
import io.methvin.watcher.DirectoryChangeEvent;
import io.methvin.watcher.DirectoryChangeListener;
import io.methvin.watcher.DirectoryWatcher;
import io.methvin.watcher.visitor.FileTreeVisitor;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One root's watch: native file events in, the paths that changed (ignore rules applied) out, as a
 * set the workspace drains in batches. A folder root is watched recursively except for what ingest
 * leaves out ({@code .git}, ignored folders), so a build or a commit costs no events; a file root
 * is watched through its folder.
 */
final class RootWatch implements DirectoryChangeListener {
  private static final Logger log = LoggerFactory.getLogger(RootWatch.class);

  final String name;
  final Path path;
  private final boolean fileRoot;
  private final IgnoreTree ignored;
  private final Runnable signal;
  private final Set<Path> changed = ConcurrentHashMap.newKeySet();
  private volatile @Nullable DirectoryWatcher watcher;

  /**
   * Watches the folder holding the root (not recursively), to see the root itself go and return.
   */
  private volatile @Nullable DirectoryWatcher parentWatcher;

  /** Set when the root itself was created, deleted or moved: the workspace checks it is there. */
  volatile boolean presenceChanged;

  /** Set when an ignore file changed: which folders are watched may change with it. */
  volatile boolean rewatch;

  private volatile boolean closed;

  /** Set by a lost event: the next batch walks the whole root (mtime and size decide). */
  volatile boolean rescan;

  volatile boolean watching;
  volatile boolean gone;

  /** Why the root cannot be watched (a watch limit), or null. */
  volatile @Nullable String error;

  /** The last lost-events warning and when it happened (ms), shown for a while in /health. */
  volatile @Nullable String warning;

  volatile long warningAtMillis;
  volatile long firstChangeNanos;
  volatile long lastChangeNanos;

  /** Paths of the batch being applied now. */
  volatile long applying;

  volatile long lastWatchAttemptNanos;

  RootWatch(String name, Path path, @Nullable Path storeDir, Runnable signal) {
    this.name = name;
    this.path = path;
    this.fileRoot = Files.isRegularFile(path);
    this.ignored = new IgnoreTree(path, storeDir);
    this.signal = signal;
  }

  /**
   * Starts watching; blocks while the folders are registered. A failure (the inotify watch limit, a
   * folder that vanished) leaves the root unwatched with {@link #error} saying why.
   */
  void start() {
    lastWatchAttemptNanos = System.nanoTime();
    Path folder = fileRoot ? path.getParent() : path;
    try {
      DirectoryWatcher w =
          DirectoryWatcher.builder()
              .path(folder)
              .listener(this)
              // Hashing would read every file of the root at start: mtime, size and the store's own
              // hashes decide what changed.
              .fileHashing(false)
              .fileTreeVisitor(new Visitor())
              .build();
      synchronized (ignored) {
        ignored.forget();
      }
      watcher = w;
      CompletableFuture<Void> loop =
          w.watchAsync(
              command -> Thread.ofPlatform().daemon().name("helix-watch-" + name).start(command));
      if (loop.isCompletedExceptionally()) {
        loop.join();
      }
      watching = true;
      error = null;
      gone = false;
      var unused = loop.whenComplete((ok, failure) -> ended(w, failure));
    } catch (IOException | RuntimeException e) {
      watching = false;
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      error =
          "cannot watch "
              + path
              + ": "
              + cause.getMessage()
              + (String.valueOf(cause.getMessage()).contains("inotify")
                  ? "; raise the limit (sudo sysctl fs.inotify.max_user_watches=524288) and restart helix;"
                  : ";")
              + " meanwhile helix rescans this root every minute";
      log.warn("root {}: {}", name, error);
      closeWatcher();
    }
  }

  /** The event loop ended: closed by us, or every watched folder went away. */
  private void ended(DirectoryWatcher which, @Nullable Throwable failure) {
    if (closed || watcher != which) {
      // Closed on purpose (the root was removed, went away or is being watched anew).
      return;
    }
    watching = false;
    if (!Files.exists(path)) {
      gone = true;
      log.warn(
          "root {}: its folder {} is gone; its sources stay, cited as stale, until it returns or is removed",
          name,
          path);
    } else {
      // Every watched folder went away, yet the root is there: it was replaced (deleted and made
      // again, or moved away and back). Watch it anew at once.
      log.info(
          "root {}: the watch of {} ended{}; watching it anew",
          name,
          path,
          failure == null ? "" : " (" + failure.getMessage() + ")");
      presenceChanged = true;
    }
    closeWatcher();
    signal.run();
  }

  @Override
  public void onEvent(DirectoryChangeEvent event) throws IOException {
    if (event.eventType() == DirectoryChangeEvent.EventType.OVERFLOW) {
      lost("the watch queue overflowed");
      return;
    }
    Path p = event.path();
    if (p == null) {
      return;
    }
    synchronized (ignored) {
      if (IgnoreTree.isIgnoreFile(p)) {
        ignored.forget();
        rewatch = true;
      } else if (ignored.excluded(p, event.isDirectory())) {
        return;
      }
    }
    long now = System.nanoTime();
    if (changed.isEmpty()) {
      firstChangeNanos = now;
    }
    lastChangeNanos = now;
    changed.add(p);
    signal.run();
  }

  /** Events were lost: the root is rescanned, and /health says so for a while. */
  void lost(String why) {
    warning = "root " + name + ": events were lost (" + why + "); helix rescanned the root";
    warningAtMillis = System.currentTimeMillis();
    log.warn("root {}: events were lost ({}); rescanning {}", name, why, path);
    rescan = true;
    long now = System.nanoTime();
    firstChangeNanos = now;
    lastChangeNanos = now;
    signal.run();
  }

  @Override
  public void onException(Exception e) {
    log.warn("root {}: the watcher failed on an event: {}", name, e.toString());
  }

  @Override
  public boolean isWatching() {
    return !closed;
  }

  /** Whether anything waits to be applied. */
  boolean hasWork() {
    return rescan || !changed.isEmpty();
  }

  long pending() {
    return changed.size() + (rescan ? 1 : 0) + applying;
  }

  /** Takes the paths to apply now: the root itself after lost events, else what changed. */
  List<Path> drain() {
    List<Path> out = new ArrayList<>(changed);
    changed.removeAll(out);
    if (rescan) {
      rescan = false;
      return List.of(path);
    }
    return out;
  }

  /** Puts paths back after a failed batch, so nothing a watcher saw is dropped. */
  void retry(List<Path> paths) {
    changed.addAll(paths);
  }

  void close() {
    closed = true;
    closeWatcher();
    DirectoryWatcher p = parentWatcher;
    parentWatcher = null;
    if (p != null) {
      try {
        p.close();
      } catch (IOException e) {
        log.debug("closing the watch of {}'s folder: {}", path, e.toString());
      }
    }
  }

  /**
   * Watches the root's own folder entry: a folder moved away keeps its watch (inotify follows the
   * inode), so only its parent tells that the path is gone, or that a new folder took its place. A
   * file root's watch already is its parent's.
   */
  void watchPresence() {
    Path parent = path.getParent();
    if (fileRoot || parent == null || closed) {
      return;
    }
    try {
      DirectoryWatcher p =
          DirectoryWatcher.builder()
              .path(parent)
              .listener(
                  new DirectoryChangeListener() {
                    @Override
                    public void onEvent(DirectoryChangeEvent event) {
                      if (path.equals(event.path())
                          || event.eventType() == DirectoryChangeEvent.EventType.OVERFLOW) {
                        presenceChanged = true;
                        signal.run();
                      }
                    }

                    @Override
                    public boolean isWatching() {
                      return !closed;
                    }
                  })
              .fileHashing(false)
              // Only the parent itself, and the root when it is created (so its creation is
              // reported).
              .fileTreeVisitor(
                  (start, onDirectory, onFile) -> {
                    if (start.equals(parent) || start.equals(path)) {
                      onDirectory.call(start);
                    }
                  })
              .build();
      parentWatcher = p;
      var unused =
          p.watchAsync(
              command ->
                  Thread.ofPlatform()
                      .daemon()
                      .name("helix-watch-" + name + "-parent")
                      .start(command));
    } catch (IOException | RuntimeException e) {
      log.warn(
          "root {}: cannot watch its folder {} for the root going or coming back: {}",
          name,
          parent,
          e.toString());
    }
  }

  /** Stops the watch of the root's content (it went away); the parent watch stays. */
  void stopContentWatch() {
    watching = false;
    closeWatcher();
  }

  private void closeWatcher() {
    DirectoryWatcher w = watcher;
    watcher = null;
    if (w != null) {
      try {
        w.close();
      } catch (IOException e) {
        log.debug("closing the watch of {}: {}", path, e.toString());
      }
    }
  }

  /** Registers the folders ingest reads: none that is ignored, no symlink followed (no loops). */
  private final class Visitor implements FileTreeVisitor {
    @Override
    public void recursiveVisitFiles(Path start, Callback onDirectory, Callback onFile)
        throws IOException {
      if (fileRoot) {
        if (start.equals(path.getParent())) {
          onDirectory.call(start);
        }
        return;
      }
      Files.walkFileTree(
          start,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
                throws IOException {
              synchronized (ignored) {
                if (ignored.excluded(dir, true)) {
                  return FileVisitResult.SKIP_SUBTREE;
                }
              }
              onDirectory.call(dir);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              boolean out;
              synchronized (ignored) {
                out = !attrs.isRegularFile() || ignored.excluded(file, false);
              }
              if (!out) {
                onFile.call(file);
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) {
              return FileVisitResult.CONTINUE;
            }
          });
    }
  }
}
