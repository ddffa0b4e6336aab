package dev.helix.launcher;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/**
 * Stands in for the operating system's processes: each spawn gives a {@link FakeProcess} the test
 * then crashes, or lets exit on TERM, on KILL or not at all.
 */
final class FakeSpawner implements Spawner {
  final List<FakeProcess> spawned = new CopyOnWriteArrayList<>();
  final Map<Long, FakeProcess> others = new HashMap<>();
  @Nullable List<String> lastCommand;
  @Nullable IOException failure;

  /** How each new child behaves when signalled. */
  boolean exitsOnTerm = true;

  boolean exitsOnKill = true;

  /** The status each new child exits with at once (a child that cannot start), or null. */
  @Nullable Integer exitsAtOnce;

  private long nextPid = 1000;

  @Override
  public Handle spawn(List<String> command, Map<String, String> env, Path log) throws IOException {
    if (failure != null) {
      throw failure;
    }
    lastCommand = command;
    FakeProcess process = new FakeProcess(nextPid++, exitsOnTerm, exitsOnKill);
    spawned.add(process);
    if (exitsAtOnce != null) {
      process.exit(exitsAtOnce);
    }
    return process;
  }

  @Override
  public Optional<Handle> attach(long pid) {
    return Optional.ofNullable(others.get(pid));
  }

  /** A process this launcher did not start, alive under {@code pid}. */
  FakeProcess other(long pid) {
    FakeProcess process = new FakeProcess(pid, true, true);
    others.put(pid, process);
    return process;
  }

  FakeProcess last() {
    return spawned.getLast();
  }

  /** One fake process; it counts the signals it gets. */
  static final class FakeProcess implements Handle {
    private final long pid;
    private final boolean exitsOnTerm;
    private final boolean exitsOnKill;
    private final CompletableFuture<Void> exit = new CompletableFuture<>();
    private volatile int status = -1;
    volatile int terms;
    volatile int kills;

    FakeProcess(long pid, boolean exitsOnTerm, boolean exitsOnKill) {
      this.pid = pid;
      this.exitsOnTerm = exitsOnTerm;
      this.exitsOnKill = exitsOnKill;
    }

    /** Exits with {@code code} on its own (a crash, or obeying a shutdown request). */
    void exit(int code) {
      status = code;
      exit.complete(null);
    }

    @Override
    public long pid() {
      return pid;
    }

    @Override
    public boolean isAlive() {
      return !exit.isDone();
    }

    @Override
    public CompletableFuture<?> onExit() {
      return exit;
    }

    @Override
    public int exitValue() {
      if (isAlive()) {
        throw new IllegalStateException("pid " + pid + " has not exited");
      }
      return status;
    }

    @Override
    public String processStart() {
      return "2026-01-01T00:00:00Z";
    }

    @Override
    public boolean awaitExit(Duration wait) {
      return !isAlive();
    }

    @Override
    public boolean terminate(Duration termWait, Duration killWait) {
      terms++;
      if (exitsOnTerm) {
        exit(143);
        return true;
      }
      kills++;
      if (exitsOnKill) {
        exit(137);
      }
      return !isAlive();
    }
  }
}
