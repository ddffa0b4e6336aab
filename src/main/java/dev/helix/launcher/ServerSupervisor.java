package dev.helix.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helix.config.HostNames;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Supervises the helix server child (SPEC §5): starts it, adopts a helix already answering on the
 * port, refuses a port another program holds, stops it gracefully then harder, and restarts it
 * after a crash with {@link Backoff}.
 */
final class ServerSupervisor {
  private static final Logger log = LoggerFactory.getLogger(ServerSupervisor.class);

  /** Where the server is in its life. */
  enum Phase { STOPPED, STARTING, RUNNING }

  /** How long each stop step waits: a JVM that was asked nicely exits well within this. */
  static final Duration STEP_WAIT = Duration.ofSeconds(5);
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);

  /** What the supervisor needs to know about the server it runs. */
  record Spec(String host, int port, List<String> command, Map<String, String> env, Path log,
      Duration startWait, @Nullable String bearer) {
    Spec {
      command = List.copyOf(command);
      env = Map.copyOf(env);
    }

    /** The URL the launcher probes: loopback when the server binds every interface. */
    String baseUrl() {
      return "http://" + HostNames.forUrl(HostNames.dialable(host)) + ":" + port;
    }

    String probeHost() {
      String url = baseUrl();
      String h = url.substring("http://".length(), url.lastIndexOf(':'));
      return h.startsWith("[") ? h.substring(1, h.length() - 1) : h;
    }
  }

  private final Spec spec;
  private final Clock clock;
  private final Probe probe;
  private final ScheduledExecutorService scheduler;
  private final Runnable onChange;
  private final Backoff backoff;
  private final ReentrantLock operations = new ReentrantLock();

  // Guarded by this.
  private Phase phase = Phase.STOPPED;
  private boolean owned;
  private @Nullable Process process;
  private long pid = -1;
  private @Nullable Instant startedAt;
  private @Nullable Instant readyAt;
  private @Nullable String processStart;
  private int restarts;
  private @Nullable LastError lastError;
  private boolean autoRestart;
  private long generation;
  private @Nullable ScheduledFuture<?> pendingRestart;
  private @Nullable Instant nextRestartAt;
  private @Nullable String lastRestartReason;
  private @Nullable Instant lastRestartAt;
  /** The readiness wait of a start in progress; completed early when the launcher shuts down. */
  private @Nullable CompletableFuture<Boolean> starting;

  ServerSupervisor(Spec spec, Clock clock, Probe probe, ScheduledExecutorService scheduler, Runnable onChange) {
    this.spec = spec;
    this.clock = clock;
    this.probe = probe;
    this.scheduler = scheduler;
    this.onChange = onChange;
    this.backoff = new Backoff(clock);
  }

  Spec spec() {
    return spec;
  }

  /** Starts the server, or adopts the helix already answering on its port. */
  ControlResult start() {
    operations.lock();
    try {
      synchronized (this) {
        cancelPendingRestart();
        if (phase != Phase.STOPPED) {
          return ControlResult.conflict("the server is already " + phase.name().toLowerCase() + " (pid " + pid
              + "); use restart to start it again");
        }
      }
      backoff.reset();
      return launch("start");
    } finally {
      operations.unlock();
    }
  }

  /** Stops the server; an adopted one only when forced. Suspends auto-restart until the next start. */
  ControlResult stop(boolean force) {
    operations.lock();
    try {
      return halt(force, "stop");
    } finally {
      operations.unlock();
    }
  }

  /** Stops the server if it runs, then starts it. */
  ControlResult restart(boolean force) {
    operations.lock();
    try {
      boolean running;
      synchronized (this) {
        running = phase != Phase.STOPPED;
      }
      if (running) {
        ControlResult stopped = halt(force, "restart");
        if (!stopped.succeeded()) {
          return stopped;
        }
        synchronized (this) {
          restarts++;
          lastRestartReason = "restarted by user";
          lastRestartAt = clock.instant();
        }
      }
      synchronized (this) {
        cancelPendingRestart();
      }
      backoff.reset();
      return launch("restart");
    } finally {
      operations.unlock();
    }
  }

  /** The launcher is shutting down: stop the server if it is ours, leave an adopted one running. */
  void shutdown() {
    synchronized (this) {
      // A start still waiting for readiness gives up now, so Ctrl-C never waits out start_wait.
      shuttingDown = true;
      autoRestart = false;
      if (starting != null) {
        starting.complete(false);
      }
    }
    operations.lock();
    try {
      boolean ours;
      synchronized (this) {
        cancelPendingRestart();
        autoRestart = false;
        ours = owned && phase != Phase.STOPPED;
      }
      if (ours) {
        ControlResult result = halt(true, "launcher shutdown");
        log.info("server: {}", result.message());
      }
    } finally {
      operations.unlock();
    }
  }

  private ControlResult launch(String operation) {
    // Nothing listening (the usual case) is known from one refused connect, so the child is spawned
    // before the HTTP client has even loaded; the launcher's own start-up overlaps the child's.
    boolean free = Probe.nobodyListening(spec.probeHost(), spec.port());
    Optional<Long> existing = free ? Optional.empty() : probe.helixPidPatiently(spec.baseUrl());
    if (existing.isPresent()) {
      long adopted = existing.get();
      synchronized (this) {
        phase = Phase.RUNNING;
        owned = false;
        process = null;
        pid = adopted;
        Instant now = clock.instant();
        startedAt = now;
        readyAt = now;
        processStart = ProcessHandle.of(adopted).map(StateFile::processStart).orElse(null);
        autoRestart = false;
      }
      onChange.run();
      log.info("server: adopted the helix already answering at {} (pid {}); it is not owned, so the launcher will not stop it",
          spec.baseUrl(), adopted);
      return ControlResult.ok(adopted, "adopted the helix server already running at " + spec.baseUrl() + " (pid " + adopted + ")");
    }
    if (!free && !Probe.canBind(spec.probeHost(), spec.port())) {
      String holder = PortOwner.find(spec.port()).map(ProcessTree::describe).orElse("a process this user cannot see");
      String message = "port " + spec.port() + " on " + spec.host() + " is held by another program (" + holder
          + ") that is not helix; stop that program or set [server] port to a free port";
      return fail(operation, message);
    }
    Process child;
    try {
      child = ProcessTree.spawn(spec.command(), spec.env(), spec.log());
    } catch (IOException e) {
      return fail(operation, "could not run the server command " + spec.command().getFirst() + ": " + e.getMessage()
          + "; check that this Java installation is still in place");
    }
    long gen;
    synchronized (this) {
      generation++;
      gen = generation;
      phase = Phase.STARTING;
      owned = true;
      process = child;
      pid = child.pid();
      startedAt = clock.instant();
      readyAt = null;
      processStart = StateFile.processStart(child.toHandle());
      autoRestart = true;
    }
    onChange.run();
    log.info("server: started pid {} ({}), log {}", child.pid(), operation, spec.log());
    child.onExit().thenAccept(p -> exited(gen, p));
    CompletableFuture<Boolean> ready = new CompletableFuture<>();
    synchronized (this) {
      starting = ready;
    }
    Thread.ofVirtual().name("helix-server-readiness").start(() -> awaitReady(gen, child, ready));
    try {
      if (ready.get(spec.startWait().toMillis(), TimeUnit.MILLISECONDS)) {
        return ControlResult.ok(child.pid(), "the server is running at " + spec.baseUrl() + " (pid " + child.pid() + ")");
      }
      if (child.isAlive() && isShuttingDown()) {
        return ControlResult.failed("start abandoned: the launcher is shutting down");
      }
      String status = child.isAlive() ? "stopped answering" : "exited with status " + child.exitValue();
      return failed(operation, "the server " + status + " while starting; last lines of " + spec.log() + ":\n"
          + LogFiles.tail(spec.log(), 10));
    } catch (TimeoutException e) {
      return ControlResult.pending(child.pid(), "the server (pid " + child.pid() + ") did not answer /health within "
          + spec.startWait().toMillis() / 1000.0 + " s; it is still starting, watch /api/state or " + spec.log());
    } catch (ExecutionException e) {
      return failed(operation, "waiting for the server failed: " + e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return failed(operation, "interrupted while waiting for the server to start");
    }
  }

  private void awaitReady(long gen, Process child, CompletableFuture<Boolean> ready) {
    try {
      pollUntilReady(gen, child, ready);
    } catch (RuntimeException e) {
      log.error("server: watching pid {} for readiness failed", child.pid(), e);
    } finally {
      ready.complete(false);
    }
  }

  private void pollUntilReady(long gen, Process child, CompletableFuture<Boolean> ready) {
    long interval = 25;
    long patientAfter = System.nanoTime() + spec.startWait().toNanos();
    while (child.isAlive() && isGeneration(gen) && !ready.isDone()) {
      Optional<Long> answering = probe.helixPid(spec.baseUrl(), PROBE_TIMEOUT);
      if (answering.isPresent() && answering.get() == child.pid()) {
        synchronized (this) {
          if (generation == gen && phase == Phase.STARTING) {
            phase = Phase.RUNNING;
            readyAt = clock.instant();
          }
        }
        onChange.run();
        log.info("server: pid {} is ready at {}", child.pid(), spec.baseUrl());
        ready.complete(true);
        return;
      }
      try {
        Thread.sleep(interval);
      } catch (InterruptedException e) {
        break;
      }
      // Poll every 25-100 ms while a user waits for the first answer (readiness is noticed within
      // a tenth of a second), then once a second once start_wait has passed.
      interval = System.nanoTime() < patientAfter ? Math.min(100, interval + 25) : 1000;
    }
  }

  private volatile boolean shuttingDown;

  private boolean isShuttingDown() {
    return shuttingDown;
  }

  private synchronized boolean isGeneration(long gen) {
    return generation == gen;
  }

  private void exited(long gen, Process child) {
    Duration delay;
    synchronized (this) {
      if (gen != generation) {
        return; // Stopped on purpose: the stop already recorded it.
      }
      lastError = new LastError("run", "the server (pid " + child.pid() + ") exited with status " + child.exitValue()
          + "; see " + spec.log(), clock.instant());
      phase = Phase.STOPPED;
      process = null;
      if (!autoRestart) {
        onChangeLater();
        return;
      }
      delay = backoff.onCrash(readyAt);
      nextRestartAt = clock.instant().plus(delay);
      String reason = "crash: pid " + child.pid() + " exited with status " + child.exitValue();
      pendingRestart = scheduler.schedule(() -> restartAfterCrash(reason), delay.toMillis(), TimeUnit.MILLISECONDS);
    }
    log.warn("server: pid {} exited with status {}; restarting in {} s", child.pid(), child.exitValue(), delay.toSeconds());
    onChange.run();
  }

  private void onChangeLater() {
    scheduler.execute(onChange);
  }

  private void restartAfterCrash(String reason) {
    operations.lock();
    try {
      synchronized (this) {
        pendingRestart = null;
        nextRestartAt = null;
        if (!autoRestart || phase != Phase.STOPPED) {
          return;
        }
        restarts++;
        lastRestartReason = reason;
        lastRestartAt = clock.instant();
      }
      ControlResult result = launch("restart after crash");
      log.info("server: restart after crash: {}", result.message());
      synchronized (this) {
        if (!result.succeeded() && phase == Phase.STOPPED && autoRestart && pendingRestart == null) {
          Duration delay = backoff.onCrash(null);
          nextRestartAt = clock.instant().plus(delay);
          pendingRestart = scheduler.schedule(() -> restartAfterCrash(reason), delay.toMillis(), TimeUnit.MILLISECONDS);
        }
      }
    } finally {
      operations.unlock();
    }
  }

  private ControlResult halt(boolean force, String operation) {
    long target;
    @Nullable Process child;
    synchronized (this) {
      cancelPendingRestart();
      autoRestart = false;
      if (phase == Phase.STOPPED) {
        return ControlResult.conflict("the server is not running");
      }
      if (!owned && !force) {
        return ControlResult.conflict("the server at " + spec.baseUrl() + " (pid " + pid
            + ") was not started by this launcher (adopted); send {\"force\": true} to stop it anyway");
      }
      generation++; // Its exit is now expected: no crash handling, no restart.
      target = pid;
      child = process;
    }
    // An adopted server's pid is what its /health said: signalled only when that pid is confirmed
    // as the port's listener, so nothing answering like helix can have the launcher kill another
    // process of the user's.
    boolean confirmed = child != null || PortOwner.find(spec.port()).filter(owner -> owner == target).isPresent();
    Optional<ProcessHandle> handle = child != null ? Optional.of(child.toHandle())
        : confirmed ? ProcessHandle.of(target) : Optional.empty();
    Map<String, String> headers = spec.bearer() == null ? Map.of() : Map.of("Authorization", "Bearer " + spec.bearer());
    probe.post(spec.baseUrl() + "/admin/shutdown", Duration.ofSeconds(2), headers, null);
    boolean exited = handle.map(h -> ProcessTree.awaitExit(h, STEP_WAIT)
        || ProcessTree.terminate(h, STEP_WAIT, STEP_WAIT)).orElse(true);
    boolean portFree = awaitPortFree(confirmed ? STEP_WAIT : STEP_WAIT.multipliedBy(3));
    synchronized (this) {
      if (exited && portFree) {
        phase = Phase.STOPPED;
        process = null;
        pid = -1;
        readyAt = null;
        startedAt = null;
      } else if (!confirmed) {
        lastError = new LastError(operation, "the server at " + spec.baseUrl() + " did not stop after POST"
            + " /admin/shutdown within " + STEP_WAIT.toSeconds() * 3 + " s, and helix sent it no signal: it says it"
            + " is pid " + target + ", but that process does not hold port " + spec.port() + "; stop what listens on"
            + " port " + spec.port() + " yourself", clock.instant());
      } else {
        lastError = new LastError(operation, "the server (pid " + target + ") "
            + (exited ? "exited but port " + spec.port() + " is still held" : "did not exit after TERM and KILL")
            + " within " + STEP_WAIT.toSeconds() * 3 + " s", clock.instant());
      }
    }
    onChange.run();
    if (!exited || !portFree) {
      return ControlResult.timedOut(target, lastErrorMessage());
    }
    log.info("server: pid {} stopped ({})", target, operation);
    return ControlResult.ok(target, "the server (pid " + target + ") has stopped and port " + spec.port() + " is free");
  }

  private synchronized String lastErrorMessage() {
    return lastError == null ? "" : lastError.message();
  }

  private boolean awaitPortFree(Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    while (!Probe.nobodyListening(spec.probeHost(), spec.port())) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  private void cancelPendingRestart() {
    if (pendingRestart != null) {
      pendingRestart.cancel(false);
      pendingRestart = null;
      nextRestartAt = null;
    }
  }

  private ControlResult fail(String operation, String message) {
    synchronized (this) {
      lastError = new LastError(operation, message, clock.instant());
    }
    onChange.run();
    log.error("server: {}", message);
    return ControlResult.failed(message);
  }

  private ControlResult failed(String operation, String message) {
    synchronized (this) {
      // The crash handler records the exit itself; keep the more telling start message.
      lastError = new LastError(operation, message, clock.instant());
    }
    log.error("server: {}", message);
    return ControlResult.failed(message);
  }

  /** Checks an adopted server still answers; a child of ours is watched through its exit instead. */
  void monitor() {
    long adopted;
    synchronized (this) {
      if (phase != Phase.RUNNING || owned) {
        return;
      }
      adopted = pid;
    }
    if (probe.helixPid(spec.baseUrl(), PROBE_TIMEOUT).filter(p -> p == adopted).isEmpty()) {
      synchronized (this) {
        if (phase == Phase.RUNNING && !owned && pid == adopted) {
          phase = Phase.STOPPED;
          pid = -1;
          lastError = new LastError("monitor", "the adopted helix server (pid " + adopted + ") at " + spec.baseUrl()
              + " stopped answering; press Start to run one under the launcher", clock.instant());
        }
      }
      onChange.run();
    }
  }

  synchronized boolean running() {
    return phase == Phase.RUNNING;
  }

  /** The store and query totals from the server's {@code GET /stats}, or null when unavailable. */
  @Nullable JsonNode stats() {
    return serverJson("/stats");
  }

  /** The server's {@code GET /health} (its upstream and whether it answers), or null when unavailable. */
  @Nullable JsonNode health() {
    return serverJson("/health");
  }

  private @Nullable JsonNode serverJson(String path) {
    if (!running()) {
      return null;
    }
    return probe.get(spec.baseUrl() + path, PROBE_TIMEOUT, spec.bearer()).filter(Probe.Reply::success)
        .map(r -> probe.parse(r.body())).filter(n -> n != null && n.isObject()).orElse(null);
  }

  /** The {@code server} object of {@code /api/state}. */
  synchronized Map<String, @Nullable Object> snapshot() {
    Instant now = clock.instant();
    Map<String, @Nullable Object> json = new LinkedHashMap<>();
    json.put("running", phase == Phase.RUNNING);
    json.put("state", phase.name().toLowerCase());
    json.put("pid", phase == Phase.STOPPED ? null : pid);
    json.put("host", spec.host());
    json.put("port", spec.port());
    json.put("url", spec.baseUrl());
    json.put("owned", phase != Phase.STOPPED && owned);
    Instant since = readyAt != null ? readyAt : startedAt;
    json.put("uptime_s", phase == Phase.RUNNING && since != null ? Duration.between(since, now).toSeconds() : 0);
    json.put("started_at", startedAt == null ? null : startedAt.toString());
    json.put("restarts", restarts);
    json.put("auto_restart", autoRestart);
    json.put("next_restart_in_s", nextRestartAt == null ? null
        : Math.max(0, Duration.between(now, nextRestartAt).toMillis()) / 1000.0);
    json.put("last_restart_reason", lastRestartReason);
    json.put("last_restart_at", lastRestartAt == null ? null : lastRestartAt.toString());
    json.put("last_error", lastError == null ? null : lastError.toJson());
    json.put("command", spec.command());
    json.put("log", spec.log().toString());
    return json;
  }

  /** This child as the state file records it. */
  synchronized StateFile.Child record() {
    return new StateFile.Child(phase == Phase.STOPPED ? null : pid, spec.port(), spec.baseUrl(),
        owned && phase != Phase.STOPPED,
        phase.name().toLowerCase(), startedAt == null ? null : startedAt.toString(), processStart,
        spec.command(), restarts, lastRestartReason, lastRestartAt == null ? null : lastRestartAt.toString());
  }
}
