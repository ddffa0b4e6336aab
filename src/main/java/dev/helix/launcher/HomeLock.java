package dev.helix.launcher;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * One launcher per {@code $HELIX_HOME}: an OS lock on {@code launcher/launcher.lock}, held while
 * the launcher runs and dropped by the OS when its process ends, however it ends (a SIGKILL
 * included). Two launchers on one home would share one state file and one session token file, each
 * start replacing the other's token, so the first launcher's dashboard and {@code helix down} were
 * refused.
 */
final class HomeLock implements AutoCloseable {
  private final FileChannel channel;

  private HomeLock(FileChannel channel) {
    this.channel = channel;
  }

  /** The lock of {@code launcherDir}, or empty when another launcher holds it. */
  static Optional<HomeLock> tryAcquire(Path launcherDir) throws IOException {
    Files.createDirectories(launcherDir);
    FileChannel channel =
        FileChannel.open(
            launcherDir.resolve("launcher.lock"),
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE);
    try {
      FileLock lock = channel.tryLock();
      if (lock != null) {
        return Optional.of(new HomeLock(channel));
      }
    } catch (OverlappingFileLockException e) {
      // Another launcher of this JVM holds it (tests run several launchers in one JVM).
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    channel.close();
    return Optional.empty();
  }

  /** Releases the lock (closing the channel releases it). */
  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      // The lock goes with the process anyway; nothing is left to undo.
    }
  }
}
