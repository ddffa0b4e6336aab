package dev.helix.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Stops a process and its descendants: TERM first, then KILL what is left (docs/launcher.md). */
final class ProcessTree {
  private ProcessTree() {}

  /**
   * Starts {@code command} directly (never through a shell) with exactly {@code env}, its output
   * and errors appended to {@code log} (rotated first) and no input.
   */
  static Process spawn(List<String> command, Map<String, String> env, Path log) throws IOException {
    Files.createDirectories(log.toAbsolutePath().getParent());
    LogFiles.rotate(log);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().clear();
    builder.environment().putAll(env);
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.redirectInput(
        ProcessBuilder.Redirect.from(
            new java.io.File("/dev/null").exists()
                ? new java.io.File("/dev/null")
                : new java.io.File("NUL")));
    return builder.start();
  }

  /**
   * Sends TERM to the whole tree, waits up to {@code termWait}, then KILLs what is left and waits
   * up to {@code killWait}. Returns true when every process of the tree has exited.
   */
  static boolean terminate(ProcessHandle root, Duration termWait, Duration killWait) {
    List<ProcessHandle> tree = new ArrayList<>(root.descendants().toList());
    tree.add(root);
    tree.forEach(ProcessHandle::destroy);
    if (awaitExit(tree, termWait)) {
      return true;
    }
    tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    return awaitExit(tree, killWait);
  }

  /** Waits until {@code handle} has exited, at most {@code wait}; true when it did. */
  static boolean awaitExit(ProcessHandle handle, Duration wait) {
    return awaitExit(List.of(handle), wait);
  }

  private static boolean awaitExit(List<ProcessHandle> handles, Duration wait) {
    CompletableFuture<?>[] exits =
        handles.stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new);
    try {
      CompletableFuture.allOf(exits).get(wait.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException | ExecutionException e) {
      return handles.stream().noneMatch(ProcessHandle::isAlive);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return handles.stream().noneMatch(ProcessHandle::isAlive);
    }
  }

  /** A one-line description of a process for messages: {@code pid 123 (java)}. */
  static String describe(long pid) {
    return ProcessHandle.of(pid)
        .map(h -> "pid " + pid + h.info().command().map(c -> " (" + c + ")").orElse(""))
        .orElse("pid " + pid);
  }
}
