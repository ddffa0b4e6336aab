package dev.helix.context;

import dev.helix.store.Store;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;

/**
 * Indexes files and folders into the store: walks them (respecting ignore files), skips unchanged
 * files by mtime and size, replaces changed ones, removes vanished ones, and commits every few
 * seconds so a crash loses at most the files since the last commit; nothing is acknowledged before
 * its commit.
 */
final class Ingestor {
  /** Commit at least this often (ms): bounds the work a crash throws away. */
  static final long COMMIT_EVERY_MS = 5_000;

  /** Files queued per indexing thread beyond those it is working on. */
  private static final int QUEUED_PER_THREAD = 64;

  /**
   * A file to index; {@code reread}: read it even when its mtime and size match (a watcher saw it
   * change).
   */
  private record Entry(Path path, long size, long mtime, boolean reread) {
    Entry(Path path, long size, long mtime) {
      this(path, size, mtime, false);
    }
  }

  private enum Outcome {
    INDEXED,
    UNCHANGED,
    BINARY,
    TOO_LARGE,
    VANISHED
  }

  private record Done(Outcome outcome, long chunks, long bytes) {}

  /** What the files of one ingest came to; touched by the ingest's own thread only. */
  private static final class Tally {
    long files;
    long unchanged;
    long binary;
    long tooLarge;
    long chunks;
    long bytes;

    /** Counts one file's outcome and returns the bytes it indexed. */
    long add(Done d) {
      switch (d.outcome()) {
        case INDEXED -> {
          files++;
          chunks += d.chunks();
          bytes += d.bytes();
        }
        case UNCHANGED -> unchanged++;
        case BINARY -> binary++;
        case TOO_LARGE -> tooLarge++;
        case VANISHED -> {}
      }
      return d.bytes();
    }
  }

  private final Store store;
  private final Clock clock;
  private final long maxFileBytes;
  private final @Nullable Path storeDir;
  private final int threads;

  Ingestor(Store store, Clock clock, long maxFileBytes, @Nullable Path storeDir, int threads) {
    this.store = store;
    this.clock = clock;
    this.maxFileBytes = maxFileBytes;
    this.storeDir = storeDir;
    this.threads = threads;
  }

  IngestReport ingest(List<Path> paths, IngestProgress progress) throws IOException {
    long t0 = System.nanoTime();
    List<Path> roots = new ArrayList<>();
    for (Path p : paths) {
      Path abs = p.toAbsolutePath().normalize();
      // A vanished path the store still holds is ingested as empty: its sources are removed.
      if (!Files.exists(abs) && store.sourcesUnder(abs.toString()).isEmpty()) {
        throw new NoSuchFileException(
            abs.toString(),
            null,
            "there is no file or folder to ingest there; check the path (relative paths start at "
                + Path.of("").toAbsolutePath()
                + ")");
      }
      roots.add(abs);
    }
    List<Entry> entries = new ArrayList<>();
    for (Path root : roots) {
      walk(root, IgnoreRules.none(), entries);
    }
    Map<String, Store.Source> known = new HashMap<>();
    for (Path root : roots) {
      known.putAll(store.sourcesUnder(root.toString()));
    }
    return run(entries, known, progress, t0, null);
  }

  /**
   * Brings the store in line with the disk for paths a watcher saw change under {@code root}: a
   * file is re-read (its content decides, not its mtime), a folder walked, a vanished path's
   * sources removed. A path the root's ignore rules exclude costs nothing; a changed ignore file
   * re-walks its folder.
   */
  IngestReport changes(Path root, Collection<Path> changed, Store.Root synced) throws IOException {
    long t0 = System.nanoTime();
    IgnoreTree ignored = new IgnoreTree(root, storeDir);
    Set<Path> targets = new java.util.TreeSet<>();
    for (Path p : changed) {
      Path abs = p.toAbsolutePath().normalize();
      if (abs.startsWith(root)) {
        targets.add(IgnoreTree.isIgnoreFile(abs) ? abs.getParent() : abs);
      }
    }
    // A folder taken whole covers every path under it (sorted, a folder comes before its files).
    List<Path> covering = new ArrayList<>();
    for (Path t : targets) {
      if (covering.isEmpty() || !t.startsWith(covering.getLast())) {
        covering.add(t);
      }
    }
    List<Entry> entries = new ArrayList<>();
    Map<String, Store.Source> known = new HashMap<>();
    for (Path p : covering) {
      BasicFileAttributes attrs = attributes(p);
      boolean dir = attrs != null && attrs.isDirectory();
      if (ignored.excluded(p, dir)) {
        continue;
      }
      if (dir) {
        IgnoreRules outer = p.equals(root) ? IgnoreRules.none() : ignored.rulesIn(p.getParent());
        walk(
            p,
            java.util.Objects.requireNonNull(outer, "rules of a folder that is not left out"),
            entries);
      } else if (attrs != null && attrs.isRegularFile()) {
        entries.add(new Entry(p, attrs.size(), attrs.lastModifiedTime().toMillis(), true));
      }
      known.putAll(store.sourcesUnder(p.toString()));
    }
    return run(entries, known, IngestProgress.NONE, t0, synced);
  }

  private static @Nullable BasicFileAttributes attributes(Path p) {
    try {
      return Files.readAttributes(
          p, BasicFileAttributes.class, java.nio.file.LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * Indexes {@code entries} and removes the {@code known} sources no entry kept; an entry to reread
   * is read and its hash decides, instead of trusting an unchanged mtime and size.
   */
  private IngestReport run(
      List<Entry> entries,
      Map<String, Store.Source> known,
      IngestProgress progress,
      long t0,
      Store.@Nullable Root synced)
      throws IOException {
    Tally tally = new Tally();
    long total = entries.size();
    Set<String> keep = new HashSet<>();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            threads, Thread.ofPlatform().daemon().name("helix-ingest-", 0).factory());
    try {
      Deque<Future<Done>> pending = new ArrayDeque<>();
      long lastCommit = System.nanoTime();
      long done = 0;
      long bytesDone = 0;
      for (Entry e : entries) {
        Store.Source before = known.get(e.path().toString());
        if (!e.reread()
            && before != null
            && before.mtimeMillis() == e.mtime()
            && before.size() == e.size()) {
          keep.add(e.path().toString());
          tally.unchanged++;
          done++;
          continue;
        }
        if (e.size() > maxFileBytes) {
          tally.tooLarge++;
          done++;
          continue;
        }
        keep.add(e.path().toString());
        pending.add(pool.submit(() -> index(e, before)));
        // Keep a bounded queue: memory stays flat on big trees (a queued file is not read yet).
        // Deep enough that the workers stay busy while this thread commits (a second or more).
        while (pending.size() > threads * QUEUED_PER_THREAD) {
          done++;
          bytesDone += tally.add(take(pending));
          progress.update(done, total, bytesDone);
          if (System.nanoTime() - lastCommit > COMMIT_EVERY_MS * 1_000_000) {
            store.commit();
            lastCommit = System.nanoTime();
          }
        }
      }
      while (!pending.isEmpty()) {
        done++;
        bytesDone += tally.add(take(pending));
        progress.update(done, total, bytesDone);
      }
    } finally {
      pool.shutdownNow();
    }
    long removed = 0;
    for (String path : known.keySet()) {
      if (!keep.contains(path)) {
        store.delete(path);
        removed++;
      }
    }
    if (synced != null && tally.files + removed > 0) {
      // In the same commit as the changes: a batch that changed nothing commits nothing.
      store.putRoot(synced);
    }
    store.commit();
    progress.update(total, total, tally.bytes);
    Store.Totals t = store.totals();
    return new IngestReport(
        tally.files,
        tally.unchanged,
        removed,
        tally.binary,
        tally.tooLarge,
        tally.chunks,
        tally.bytes,
        (System.nanoTime() - t0) / 1e9,
        new StoreStats(t.chunks(), t.sources(), t.storeBytes()));
  }

  private static Done take(Deque<Future<Done>> pending) throws IOException {
    try {
      return pending.removeFirst().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(
          "the ingest was interrupted; what was committed before stays in the store", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IOException("indexing a file failed: " + e.getCause(), e.getCause());
    }
  }

  private Done index(Entry e, Store.@Nullable Source before) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(e.path());
    } catch (NoSuchFileException gone) {
      return new Done(Outcome.VANISHED, 0, 0);
    }
    if (bytes.length > maxFileBytes) {
      return new Done(Outcome.TOO_LARGE, 0, 0);
    }
    if (Texts.binary(bytes)) {
      if (before != null) {
        store.delete(e.path().toString());
      }
      return new Done(Outcome.BINARY, 0, 0);
    }
    String sha = Hashes.sha256(bytes);
    if (before != null
        && before.sha256().equals(sha)
        && before.mtimeMillis() == e.mtime()
        && before.size() == e.size()) {
      return new Done(Outcome.UNCHANGED, 0, 0);
    }
    long now = clock.millis();
    String source = e.path().toString();
    Language language = Language.of(e.path().getFileName().toString());
    List<Store.Chunk> chunks = chunks(source, Texts.decode(bytes), language, e.mtime(), now);
    store.replace(new Store.Source(source, e.mtime(), bytes.length, sha, now, true), chunks);
    return new Done(Outcome.INDEXED, chunks.size(), bytes.length);
  }

  /** The chunks of one text, with ids, line ranges and metadata. */
  static List<Store.Chunk> chunks(
      String source, String text, Language language, long mtime, long now) {
    List<Store.Chunk> out = new ArrayList<>();
    Chunker.Ids ids = new Chunker.Ids(source);
    for (Chunker.Piece p : Chunker.split(text, language.style())) {
      out.add(
          new Store.Chunk(
              ids.of(p.text()),
              source,
              p.startLine(),
              p.endLine(),
              p.text(),
              language.type().word(),
              language.name(),
              mtime,
              now,
              null));
    }
    // Two identical pieces of one source would share an id; keep the first (the store needs unique
    // ids).
    Set<String> seen = new HashSet<>();
    return out.stream().filter(c -> seen.add(c.id())).toList();
  }

  /**
   * Lists the files at or under {@code root}; {@code outer}: the ignore rules in force in root's
   * parent.
   */
  private void walk(Path root, IgnoreRules outer, List<Entry> out) throws IOException {
    if (Files.isRegularFile(root)) {
      BasicFileAttributes a = Files.readAttributes(root, BasicFileAttributes.class);
      out.add(new Entry(root, a.size(), a.lastModifiedTime().toMillis()));
      return;
    }
    Deque<IgnoreRules> rules = new ArrayDeque<>();
    rules.push(outer);
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
              throws IOException {
            String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
            if (!dir.equals(root)
                && (name.equals(".git")
                    || dir.equals(storeDir)
                    || rules.peek().ignored(dir, true))) {
              return FileVisitResult.SKIP_SUBTREE;
            }
            rules.push(rules.peek().enter(dir));
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            if (attrs.isRegularFile() && !rules.peek().ignored(file, false)) {
              out.add(new Entry(file, attrs.size(), attrs.lastModifiedTime().toMillis()));
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException exc) {
            // An unreadable entry (permissions, a vanished file) is skipped, not fatal to the
            // ingest.
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, @Nullable IOException exc) {
            rules.pop();
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
