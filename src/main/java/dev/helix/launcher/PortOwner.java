package dev.helix.launcher;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which process listens on a TCP port, read from Linux's /proc (no external tool). Used to name the
 * program holding the server's port and to find an adopted Headroom for a forced stop. Elsewhere,
 * or for another user's process, it finds nothing.
 */
final class PortOwner {
  /** The kernel's TCP state code for LISTEN in /proc/net/tcp. */
  private static final String LISTEN = "0A";

  /** How often a stop checks whether the port is free: well under the second a user notices. */
  private static final Duration FREE_POLL = Duration.ofMillis(50);

  private PortOwner() {}

  /**
   * Waits until nothing listens on {@code host:port}, at most {@code wait}; true when it is free.
   */
  static boolean awaitFree(String host, int port, Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    while (!Probe.nobodyListening(host, port)) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      try {
        Thread.sleep(FREE_POLL);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  static Optional<Long> find(int port) {
    String inode = listeningInode(port);
    if (inode == null) {
      return Optional.empty();
    }
    String target = "socket:[" + inode + "]";
    try (DirectoryStream<Path> procs =
        Files.newDirectoryStream(
            Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
      for (Path proc : procs) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("fd"))) {
          for (Path fd : fds) {
            try {
              if (Files.readSymbolicLink(fd).toString().equals(target)) {
                return Optional.of(Long.parseLong(proc.getFileName().toString()));
              }
            } catch (IOException e) {
              // A descriptor closed while we looked: keep looking.
            }
          }
        } catch (IOException | SecurityException e) {
          // Another user's process: not ours to inspect.
        }
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  private static @org.jspecify.annotations.Nullable String listeningInode(int port) {
    String hexPort = String.format(Locale.ROOT, "%04X", port);
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      try {
        for (String line : Files.readAllLines(Path.of(table))) {
          String[] f = line.trim().split("\\s+");
          if (f.length > 9 && f[1].endsWith(":" + hexPort) && f[3].equals(LISTEN)) {
            return f[9];
          }
        }
      } catch (IOException e) {
        // Not Linux, or no IPv6: try the next table.
      }
    }
    return null;
  }
}
