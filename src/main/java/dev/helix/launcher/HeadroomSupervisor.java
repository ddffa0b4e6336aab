package dev.helix.launcher;

import dev.helix.config.HeadroomConfig;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Headroom's lifecycle (SPEC §4): adopt one already answering, else start it when enabled and
 * installed, else say it is absent. Its failures are shown, never fatal to the launcher.
 */
final class HeadroomSupervisor {
  private static final Logger log = LoggerFactory.getLogger(HeadroomSupervisor.class);
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);

  /** SPEC §4's states. */
  enum State { ABSENT, STOPPED, STARTING, RUNNING }

  private final HeadroomConfig config;
  private final Map<String, String> env;
  private final Path logFile;
  private final Duration startWait;
  private final Clock clock;
  private final Probe probe;
  private final Runnable onChange;
  private final ReentrantLock operations = new ReentrantLock();

  // Guarded by this.
  private State state = State.ABSENT;
  private boolean owned;
  private @Nullable Process process;
  private @Nullable Long pid;
  private @Nullable Instant startedAt;
  private @Nullable String processStart;
  private @Nullable LastError lastError;
  private long generation;

  /**
   * @param env the Headroom child's full environment (routing variables included)
   */
  HeadroomSupervisor(HeadroomConfig config, Map<String, String> env, Path logFile, Duration startWait, Clock clock,
      Probe probe, Runnable onChange) {
    this.config = config;
    this.env = Map.copyOf(env);
    this.logFile = logFile;
    this.startWait = startWait;
    this.clock = clock;
    this.probe = probe;
    this.onChange = onChange;
  }

  /** The resolution at launcher start, in SPEC §4's order; starting happens in the background. */
  void resolve() {
    if (probe.headroomReady(config.baseUrl(), PROBE_TIMEOUT)) {
      adopt();
      return;
    }
    boolean installed = commandPath().isPresent();
    synchronized (this) {
      state = installed ? State.STOPPED : State.ABSENT;
    }
    if (!config.enabled()) {
      log.info("headroom: not enabled ([headroom] enabled = false) and not running at {}; nothing to do", config.baseUrl());
    } else if (!installed) {
      log.warn("headroom: enabled, but its command '{}' was not found on PATH; install Headroom or set [headroom] command",
          config.command().isEmpty() ? "" : config.command().getFirst());
    } else if (config.autostart()) {
      Thread.ofVirtual().name("headroom-autostart").start(() -> {
        ControlResult result = start();
        if (!result.succeeded()) {
          log.warn("headroom: autostart failed: {}", result.message());
        }
      });
    }
    onChange.run();
  }

  private void adopt() {
    synchronized (this) {
      state = State.RUNNING;
      owned = false;
      process = null;
      pid = PortOwner.find(config.port()).orElse(null);
      processStart = pid == null ? null : ProcessHandle.of(pid).map(StateFile::processStart).orElse(null);
      startedAt = clock.instant();
    }
    log.info("headroom: adopted the Headroom already answering at {} (not owned: the launcher will not stop it); dashboard {}",
        config.baseUrl(), config.dashboardUrl());
    onChange.run();
  }

  /** Starts Headroom (owned) unless it already runs. */
  ControlResult start() {
    operations.lock();
    try {
      synchronized (this) {
        if (state == State.RUNNING || state == State.STARTING) {
          return ControlResult.conflict("Headroom is already " + state.name().toLowerCase() + " at " + config.baseUrl());
        }
      }
      if (probe.headroomReady(config.baseUrl(), PROBE_TIMEOUT)) {
        adopt();
        return ControlResult.ok(pidOrNull(), "adopted the Headroom already answering at " + config.baseUrl());
      }
      Optional<Path> command = commandPath();
      if (command.isEmpty()) {
        synchronized (this) {
          state = State.ABSENT;
        }
        return fail("the Headroom command '" + (config.command().isEmpty() ? "" : config.command().getFirst())
            + "' was not found on PATH; install Headroom (pip install headroom-ai) or set [headroom] command");
      }
      List<String> args = config.startArguments();
      Process child;
      try {
        child = ProcessTree.spawn(args, env, logFile);
      } catch (IOException e) {
        return fail("could not start Headroom with " + args + ": " + e.getMessage());
      }
      long gen;
      synchronized (this) {
        generation++;
        gen = generation;
        state = State.STARTING;
        owned = true;
        process = child;
        pid = child.pid();
        startedAt = clock.instant();
        processStart = StateFile.processStart(child.toHandle());
      }
      onChange.run();
      log.info("headroom: started pid {}: {} (log {})", child.pid(), args, logFile);
      child.onExit().thenAccept(p -> exited(gen, p));
      long deadline = System.nanoTime() + startWait.toNanos();
      long interval = 50;
      while (child.isAlive()) {
        if (probe.headroomReady(config.baseUrl(), PROBE_TIMEOUT)) {
          synchronized (this) {
            if (generation == gen) {
              state = State.RUNNING;
            }
          }
          onChange.run();
          log.info("headroom: pid {} is ready at {}", child.pid(), config.baseUrl());
          return ControlResult.ok(child.pid(), "Headroom is running at " + config.baseUrl() + " (pid " + child.pid() + ")");
        }
        if (System.nanoTime() > deadline) {
          Thread.ofVirtual().start(() -> awaitReadyLater(gen, child));
          return ControlResult.pending(child.pid(), "Headroom (pid " + child.pid() + ") did not answer within "
              + startWait.toMillis() / 1000.0 + " s; it is still starting, see " + logFile);
        }
        sleep(interval);
        interval = Math.min(500, interval + 25);
      }
      return fail("Headroom exited with status " + child.exitValue() + " while starting; last lines of " + logFile
          + ":\n" + LogFiles.tail(logFile, 10));
    } finally {
      operations.unlock();
    }
  }

  private void awaitReadyLater(long gen, Process child) {
    while (child.isAlive() && isGeneration(gen)) {
      if (probe.headroomReady(config.baseUrl(), PROBE_TIMEOUT)) {
        synchronized (this) {
          if (generation == gen && state == State.STARTING) {
            state = State.RUNNING;
          }
        }
        onChange.run();
        return;
      }
      sleep(1000);
    }
  }

  private synchronized boolean isGeneration(long gen) {
    return generation == gen;
  }

  private void exited(long gen, Process child) {
    synchronized (this) {
      if (gen != generation) {
        return;
      }
      generation++;
      state = commandPath().isPresent() ? State.STOPPED : State.ABSENT;
      owned = false;
      process = null;
      pid = null;
      lastError = new LastError("run", "Headroom (pid " + child.pid() + ") exited with status " + child.exitValue()
          + "; see " + logFile, clock.instant());
    }
    log.warn("headroom: pid {} exited with status {}", child.pid(), child.exitValue());
    onChange.run();
  }

  /** Stops Headroom: an owned one always, an adopted one only when forced. */
  ControlResult stop(boolean force) {
    operations.lock();
    try {
      Optional<ProcessHandle> handle;
      long target;
      synchronized (this) {
        if (state == State.ABSENT || state == State.STOPPED) {
          return ControlResult.conflict("Headroom is not running");
        }
        if (!owned && !force) {
          return ControlResult.conflict("Headroom at " + config.baseUrl()
              + " was not started by this launcher (adopted); send {\"force\": true} to stop it anyway");
        }
        if (pid == null) {
          pid = PortOwner.find(config.port()).orElse(null);
        }
        if (pid == null) {
          return ControlResult.failed("cannot find the process listening on port " + config.port()
              + " (another user's, or in a container); stop Headroom where it runs");
        }
        generation++;
        target = pid;
        handle = process != null ? Optional.of(process.toHandle()) : ProcessHandle.of(target);
      }
      boolean exited = handle.map(h -> ProcessTree.terminate(h, ServerSupervisor.STEP_WAIT, ServerSupervisor.STEP_WAIT))
          .orElse(true);
      if (!exited) {
        return ControlResult.timedOut(target, "Headroom (pid " + target + ") did not exit after TERM and KILL");
      }
      synchronized (this) {
        state = commandPath().isPresent() ? State.STOPPED : State.ABSENT;
        owned = false;
        process = null;
        pid = null;
      }
      onChange.run();
      log.info("headroom: pid {} stopped", target);
      return ControlResult.ok(target, "Headroom (pid " + target + ") has stopped");
    } finally {
      operations.unlock();
    }
  }

  ControlResult restart(boolean force) {
    operations.lock();
    try {
      boolean running;
      synchronized (this) {
        running = state == State.RUNNING || state == State.STARTING;
      }
      if (running) {
        ControlResult stopped = stop(force);
        if (!stopped.succeeded()) {
          return stopped;
        }
      }
      return start();
    } finally {
      operations.unlock();
    }
  }

  /** The launcher is shutting down: stop Headroom if it is ours, leave an adopted one running. */
  void shutdown() {
    boolean ours;
    synchronized (this) {
      ours = owned && (state == State.RUNNING || state == State.STARTING);
    }
    if (ours) {
      log.info("headroom: {}", stop(true).message());
    }
  }

  /** Notices an adopted Headroom going away, or one started by someone else appearing. */
  void monitor() {
    State seen;
    boolean ours;
    synchronized (this) {
      seen = state;
      ours = owned;
    }
    if (ours || seen == State.STARTING || !operations.tryLock()) {
      return;
    }
    try {
      boolean answering = probe.headroomReady(config.baseUrl(), PROBE_TIMEOUT);
      if (seen == State.RUNNING && !answering) {
        synchronized (this) {
          state = commandPath().isPresent() ? State.STOPPED : State.ABSENT;
          pid = null;
          lastError = new LastError("monitor", "the adopted Headroom at " + config.baseUrl() + " stopped answering",
              clock.instant());
        }
        onChange.run();
      } else if (seen != State.RUNNING && answering) {
        adopt();
      }
    } finally {
      operations.unlock();
    }
  }

  synchronized boolean running() {
    return state == State.RUNNING;
  }

  private synchronized @Nullable Long pidOrNull() {
    return pid;
  }

  private ControlResult fail(String message) {
    synchronized (this) {
      lastError = new LastError("start", message, clock.instant());
    }
    log.warn("headroom: {}", message);
    onChange.run();
    return ControlResult.failed(message);
  }

  /** The executable that starts Headroom: the first command element, looked up on PATH unless it is a path. */
  Optional<Path> commandPath() {
    if (config.command().isEmpty()) {
      return Optional.empty();
    }
    String first = config.command().getFirst();
    if (first.contains("/") || first.contains(File.separator)) {
      Path path = Path.of(first);
      return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
    }
    String pathVar = env.getOrDefault("PATH", "");
    for (String dir : pathVar.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, first);
      if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** The {@code headroom} object of {@code /api/state}. */
  synchronized Map<String, @Nullable Object> snapshot() {
    Map<String, @Nullable Object> json = new LinkedHashMap<>();
    json.put("state", state.name().toLowerCase());
    json.put("owned", owned);
    json.put("enabled", config.enabled());
    json.put("autostart", config.autostart());
    json.put("url", config.baseUrl());
    json.put("dashboard_url", state == State.RUNNING ? config.dashboardUrl() : null);
    json.put("pid", pid);
    json.put("command", config.startArguments());
    json.put("hint", switch (state) {
      case ABSENT -> config.enabled()
          ? "Headroom is not installed: its command '" + (config.command().isEmpty() ? "" : config.command().getFirst())
              + "' is not on PATH. Install it (pip install headroom-ai) or set [headroom] command; helix works without it."
          : "Headroom is off ([headroom] enabled = false) and not installed; helix works without it. To use it,"
              + " install it (pip install headroom-ai) and set [headroom] enabled = true.";
      case STOPPED -> config.enabled() ? "Headroom is installed but not running; press Start to run it."
          : "Headroom is installed but [headroom] enabled = false, so the launcher does not start it.";
      case STARTING, RUNNING -> null;
    });
    json.put("last_error", lastError == null ? null : lastError.toJson());
    json.put("log", logFile.toString());
    return json;
  }

  synchronized StateFile.Child record() {
    return new StateFile.Child(pid, config.port(), config.baseUrl(), owned, state.name().toLowerCase(),
        startedAt == null ? null : startedAt.toString(), processStart, config.startArguments(), 0, null, null);
  }

  private static void sleep(long millis) {
    try {
      TimeUnit.MILLISECONDS.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
