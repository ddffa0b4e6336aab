package dev.helix.context;

import dev.helix.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks evidence against the disk: has the file behind a chunk changed since it was indexed? A
 * cheap stat first (mtime and size); only when the mtime moved but the size did not is the file
 * hashed, so a {@code touch} does not count as a change. Then, for a changed file, whether the
 * chunk's own text is still there, at its lines or elsewhere. One instance per query: it caches.
 */
final class Freshness {
  /** From freshest to stalest; the packet's task decides which states still count as verified. */
  enum State {
    /** Posted content, or a file unchanged since indexing. */
    UNCHANGED,
    /** The file changed, but the chunk's lines still read the same. */
    SAME_LINES,
    /** The file changed and the chunk's text is still in it, at other lines. */
    MOVED,
    /** The chunk's text is no longer in the file. */
    CHANGED,
    /** The file is gone. */
    GONE;

    boolean stale() {
      return this == CHANGED || this == GONE;
    }

    String word() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final Store store;
  private final Map<String, Boolean> fileUnchanged = new HashMap<>();
  private final Map<String, Optional<String>> current = new HashMap<>();

  Freshness(Store store) {
    this.store = store;
  }

  /** The freshness of a chunk. */
  State of(Store.Chunk chunk) throws IOException {
    Optional<Store.Source> source = store.source(chunk.source());
    if (source.isEmpty() || !source.get().file()) {
      return State.UNCHANGED;
    }
    Boolean same = fileUnchanged.get(chunk.source());
    if (same == null) {
      same = unchanged(source.get());
      fileUnchanged.put(chunk.source(), same);
    }
    if (same) {
      return State.UNCHANGED;
    }
    Optional<String> text = current.computeIfAbsent(chunk.source(), Freshness::read);
    if (text.isEmpty()) {
      return State.GONE;
    }
    List<String> lines = Chunker.lines(text.get());
    if (chunk.endLine() <= lines.size()
        && String.join("\n", lines.subList(chunk.startLine() - 1, chunk.endLine()))
            .equals(chunk.text())) {
      return State.SAME_LINES;
    }
    return text.get().contains(chunk.text()) ? State.MOVED : State.CHANGED;
  }

  private static boolean unchanged(Store.Source s) throws IOException {
    Path path = Path.of(s.path());
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(path, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      return false;
    }
    if (attrs.size() != s.size()) {
      return false;
    }
    if (attrs.lastModifiedTime().toMillis() == s.mtimeMillis()) {
      return true;
    }
    return Hashes.sha256(Files.readAllBytes(path)).equals(s.sha256());
  }

  private static Optional<String> read(String path) {
    try {
      return Optional.of(Texts.decode(Files.readAllBytes(Path.of(path))));
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
