package dev.helix.launcher;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/** Starts child processes and finds running ones: the operating system, or a stand-in in tests. */
interface Spawner {
  /** Starts {@code command} with exactly {@code env}, its output appended to {@code log}. */
  Handle spawn(List<String> command, Map<String, String> env, Path log) throws IOException;

  /** A running process this launcher did not start (an adopted child), if {@code pid} is alive. */
  Optional<Handle> attach(long pid);

  /** One process as a supervisor sees it. */
  interface Handle {
    long pid();

    boolean isAlive();

    /** Completes when the process has exited. */
    CompletableFuture<?> onExit();

    /** The exit status of a spawned child that has exited. */
    int exitValue();

    /** When the process started, recorded so a recycled pid is not mistaken for it. */
    @Nullable String processStart();

    /** Waits up to {@code wait} for the process to exit; true when it did. */
    boolean awaitExit(Duration wait);

    /** TERM to the process and its descendants, then KILL what is left; true when all exited. */
    boolean terminate(Duration termWait, Duration killWait);
  }

  /** The real one: {@link ProcessBuilder} and {@link ProcessHandle} through {@link ProcessTree}. */
  static Spawner os() {
    return new Spawner() {
      @Override
      public Handle spawn(List<String> command, Map<String, String> env, Path log)
          throws IOException {
        Process process = ProcessTree.spawn(command, env, log);
        return new Os(process.toHandle(), process);
      }

      @Override
      public Optional<Handle> attach(long pid) {
        return ProcessHandle.of(pid).map(h -> new Os(h, null));
      }
    };
  }

  /**
   * A process of the operating system; {@code process} is null for one this launcher did not start.
   */
  record Os(ProcessHandle handle, @Nullable Process process) implements Handle {
    @Override
    public long pid() {
      return handle.pid();
    }

    @Override
    public boolean isAlive() {
      return process != null ? process.isAlive() : handle.isAlive();
    }

    /**
     * A child's own exit future: it completes once the JDK has reaped it, so its status is known.
     */
    @Override
    public CompletableFuture<?> onExit() {
      return process != null ? process.onExit() : handle.onExit();
    }

    @Override
    public int exitValue() {
      if (process == null) {
        throw new IllegalStateException(
            "pid "
                + handle.pid()
                + " was not started by this launcher, so its exit"
                + " status is known only to its own parent");
      }
      return process.exitValue();
    }

    @Override
    public @Nullable String processStart() {
      return StateFile.processStart(handle);
    }

    @Override
    public boolean awaitExit(Duration wait) {
      return ProcessTree.awaitExit(handle, wait);
    }

    @Override
    public boolean terminate(Duration termWait, Duration killWait) {
      return ProcessTree.terminate(handle, termWait, killWait);
    }
  }
}
