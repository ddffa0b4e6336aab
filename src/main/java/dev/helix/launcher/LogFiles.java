package dev.helix.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Log files under {@code $HELIX_HOME/launcher/}: rotated when a child is (re)started, so a
 * crash-looping child cannot fill the disk, and read back for the last lines of a failure.
 */
final class LogFiles {
  /** 10 MiB a file and 3 old files: a week of a busy server's request log fits, 40 MiB at most. */
  static final long MAX_BYTES = 10L * 1024 * 1024;

  static final int KEEP = 3;

  private LogFiles() {}

  /** Moves {@code file} to {@code file.1} (and so on) when it has grown past {@link #MAX_BYTES}. */
  static void rotate(Path file) throws IOException {
    if (!Files.isRegularFile(file) || Files.size(file) < MAX_BYTES) {
      return;
    }
    Files.deleteIfExists(numbered(file, KEEP));
    for (int i = KEEP - 1; i >= 1; i--) {
      Path from = numbered(file, i);
      if (Files.exists(from)) {
        Files.move(from, numbered(file, i + 1));
      }
    }
    Files.move(file, numbered(file, 1));
  }

  private static Path numbered(Path file, int n) {
    return file.resolveSibling(file.getFileName() + "." + n);
  }

  /** The last {@code n} lines of {@code file}, for error messages; empty when unreadable. */
  static String tail(Path file, int n) {
    try {
      if (!Files.isRegularFile(file)) {
        return "";
      }
      List<String> lines = new ArrayList<>(Files.readAllLines(file));
      return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    } catch (IOException | java.io.UncheckedIOException e) {
      return "";
    }
  }
}
