package dev.helix.launcher;

import dev.helix.launcher.ChildProbe.Adoptee;
import dev.helix.launcher.ChildState.Absent;
import dev.helix.launcher.ChildState.BackingOff;
import dev.helix.launcher.ChildState.Child;
import dev.helix.launcher.ChildState.Running;
import dev.helix.launcher.ChildState.Starting;
import dev.helix.launcher.ChildState.Stopped;
import dev.helix.launcher.ChildState.Stopping;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Supervises one child process described by a {@link ChildSpec} (docs/launcher.md): adopts one
 * already answering, else starts it and waits until it answers; stops it gracefully, then with TERM
 * and KILL; after a crash starts it again with {@link Backoff} when its spec says so.
 */
final class ChildSupervisor {
  private static final Logger log = LoggerFactory.getLogger(ChildSupervisor.class);

  /**
   * How long each stop step waits: a JVM or a Python server asked nicely exits well within this.
   */
  static final Duration STEP_WAIT = Duration.ofSeconds(5);

  /**
   * Readiness polls: every 25 ms, growing to 100 ms, while a caller waits (readiness is noticed
   * within a tenth of a second), then once a second once start_wait has passed.
   */
  private static final Duration FIRST_POLL = Duration.ofMillis(25);

  private static final Duration BUSY_POLL = Duration.ofMillis(100);
  private static final Duration IDLE_POLL = Duration.ofSeconds(1);

  private final ChildSpec spec;
  private final ChildProbe probe;
  private final Clock clock;
  private final Scheduler scheduler;
  private final Spawner spawner;
  private final Runnable onChange;
  private final Backoff backoff;

  /**
   * Serialises start, stop, restart, shutdown and crash restarts. What happens meanwhile (an exit,
   * a readiness poll) changes {@link #status} by compare-and-set alone, so it never waits for an
   * operation, and readers never wait at all.
   */
  private final ReentrantLock operations = new ReentrantLock();

  private final AtomicReference<ChildStatus> status;
  private volatile boolean shuttingDown;

  ChildSupervisor(ChildSpec spec, ChildSpec.Parts parts) {
    this.spec = spec;
    this.probe = spec.probe();
    this.clock = parts.clock();
    this.scheduler = parts.scheduler();
    this.spawner = parts.spawner();
    this.onChange = parts.onChange();
    this.backoff = new Backoff(clock);
    this.status = new AtomicReference<>(ChildStatus.initial(resting()));
  }

  ChildSpec spec() {
    return spec;
  }

  ChildStatus status() {
    return status.get();
  }

  boolean running() {
    return status.get().state() instanceof Running;
  }

  /**
   * At launcher start: adopts a child already answering, else records it as stopped (or absent).
   */
  boolean settle() {
    operations.lock();
    try {
      Optional<Adoptee> answering = probe.answering();
      if (answering.isPresent()) {
        adopt(answering.get());
        return true;
      }
      status.updateAndGet(s -> s.state().child() == null ? s.with(resting()) : s);
      onChange.run();
      return false;
    } finally {
      operations.unlock();
    }
  }

  /** Starts the child, or adopts the one already answering at its address. */
  ControlResult start() {
    operations.lock();
    try {
      ChildState state = status.updateAndGet(ChildStatus::withoutBackoff).state();
      Child child = state.child();
      if (child != null) {
        return ControlResult.conflict(
            spec.title()
                + " is already "
                + state.word()
                + " at "
                + spec.url()
                + pid(child.pid())
                + "; use restart to start it again");
      }
      backoff.reset();
      return launch("start");
    } finally {
      operations.unlock();
    }
  }

  /** Stops the child; an adopted one only when forced. A pending crash restart is called off. */
  ControlResult stop(boolean force) {
    operations.lock();
    try {
      return halt(force, "stop");
    } finally {
      operations.unlock();
    }
  }

  /** Stops the child if it runs, then starts it. */
  ControlResult restart(boolean force) {
    operations.lock();
    try {
      if (status.get().state().live() != null) {
        ControlResult stopped = halt(force, "restart");
        if (!stopped.succeeded()) {
          return stopped;
        }
        status.updateAndGet(s -> s.restarted("restarted by user", clock.instant()));
      }
      status.updateAndGet(ChildStatus::withoutBackoff);
      backoff.reset();
      return launch("restart");
    } finally {
      operations.unlock();
    }
  }

  /** The launcher is shutting down: stop the child if it is ours, leave an adopted one running. */
  void shutdown() {
    shuttingDown = true;
    // A start still waiting for readiness gives up now, so Ctrl-C never waits out start_wait.
    if (status.get().state() instanceof Starting starting) {
      starting.ready().complete(false);
    }
    operations.lock();
    try {
      Child child =
          status.updateAndGet(s -> s.withoutBackoff().withAutoRestart(false)).state().live();
      if (child != null && child.owned()) {
        log.info("{}: {}", spec.name(), halt(true, "launcher shutdown").message());
      }
    } finally {
      operations.unlock();
    }
  }

  /**
   * Notices an adopted child that stopped answering, and (when the spec says so) one started by
   * someone else appearing. A child of ours is watched through its exit instead.
   */
  void monitor() {
    if (!operations.tryLock()) {
      return; // An operation is under way and reports its own outcome.
    }
    try {
      ChildState state = status.get().state();
      if (state instanceof Running running && !running.child().owned()) {
        Long pid = running.child().pid();
        if (!probe.answers(pid)) {
          LastError error =
              new LastError(
                  "monitor",
                  "the adopted "
                      + spec.product()
                      + pid(pid)
                      + " at "
                      + spec.url()
                      + " stopped answering; press Start to run one under the launcher",
                  clock.instant());
          if (move(s -> s.state() == running, s -> s.with(resting()).withError(error))) {
            log.warn("{}: {}", spec.name(), error.message());
            onChange.run();
          }
        }
      } else if (spec.adoptsLater() && (state instanceof Stopped || state instanceof Absent)) {
        probe.answering().ifPresent(this::adopt);
      }
    } finally {
      operations.unlock();
    }
  }

  /** This child as the state file records it. */
  StateFile.Child record() {
    ChildStatus s = status.get();
    Child child = s.state().child();
    ChildStatus.Restart restart = s.lastRestart();
    return new StateFile.Child(
        child == null ? null : child.pid(),
        spec.port(),
        spec.url(),
        child != null && child.owned(),
        s.state().word(),
        child == null ? null : child.startedAt().toString(),
        child == null ? null : child.processStart(),
        spec.command(),
        s.restarts(),
        restart == null ? null : restart.reason(),
        restart == null ? null : restart.at().toString());
  }

  private ControlResult launch(String operation) {
    Optional<Adoptee> existing = probe.answering();
    if (existing.isPresent()) {
      return adopt(existing.get());
    }
    Optional<String> refusal = probe.refusal();
    if (refusal.isPresent()) {
      return fail(operation, refusal.get());
    }
    Spawner.Handle process;
    try {
      process = spawner.spawn(spec.command(), spec.env(), spec.log());
    } catch (IOException e) {
      return fail(
          operation,
          "could not start "
              + spec.title()
              + " with "
              + spec.command()
              + ": "
              + e.getMessage()
              + "; check that "
              + spec.command().getFirst()
              + " is still installed");
    }
    Starting starting =
        new Starting(
            new Child(process, process.pid(), clock.instant(), process.processStart()),
            new CompletableFuture<>());
    status.updateAndGet(
        s -> s.with(starting).withAutoRestart(spec.restart() == ChildSpec.Restart.AFTER_CRASH));
    onChange.run();
    log.info("{}: started pid {} ({}), log {}", spec.name(), process.pid(), operation, spec.log());
    var unused = process.onExit().thenRun(() -> exited(starting.child()));
    poll(starting, FIRST_POLL);
    return awaitReady(operation, starting);
  }

  private ControlResult adopt(Adoptee adoptee) {
    Long pid = adoptee.pid();
    Instant now = clock.instant();
    String processStart =
        pid == null ? null : spawner.attach(pid).map(Spawner.Handle::processStart).orElse(null);
    Child child = new Child(null, pid, now, processStart);
    status.updateAndGet(s -> s.with(new Running(child, now)).withAutoRestart(false));
    onChange.run();
    log.info(
        "{}: adopted the {} already answering at {}{}; it is not owned, so the launcher will not stop it",
        spec.name(),
        spec.product(),
        spec.url(),
        pid(pid));
    return ControlResult.ok(
        pid, "adopted the " + spec.product() + " already answering at " + spec.url() + pid(pid));
  }

  /** One readiness check; schedules the next while the child lives and has not answered. */
  private void poll(Starting starting, Duration interval) {
    Spawner.Handle process = starting.child().process();
    if (process == null
        || status.get().state() != starting
        || starting.ready().isDone()
        || !process.isAlive()) {
      starting.ready().complete(false);
      return;
    }
    boolean ready;
    try {
      ready = probe.ready(process.pid());
    } catch (RuntimeException e) {
      log.error("{}: checking pid {} for readiness failed", spec.name(), process.pid(), e);
      starting.ready().complete(false);
      return;
    }
    if (ready) {
      boolean moved =
          move(
              s -> s.state() == starting,
              s -> s.with(new Running(starting.child(), clock.instant())));
      if (moved) {
        onChange.run();
        log.info("{}: pid {} is ready at {}", spec.name(), process.pid(), spec.url());
      }
      starting.ready().complete(moved);
      return;
    }
    boolean patient =
        Duration.between(starting.child().startedAt(), clock.instant()).compareTo(spec.startWait())
            < 0;
    Duration next = patient ? min(interval.plus(FIRST_POLL), BUSY_POLL) : IDLE_POLL;
    scheduler.after(interval, () -> poll(starting, next));
  }

  private ControlResult awaitReady(String operation, Starting starting) {
    Spawner.Handle process = starting.child().process();
    long pid = starting.child().pid();
    try {
      if (starting.ready().get(spec.startWait().toMillis(), TimeUnit.MILLISECONDS)) {
        return ControlResult.ok(
            pid, spec.title() + " is running at " + spec.url() + " (pid " + pid + ")");
      }
      if (process.isAlive() && shuttingDown) {
        return ControlResult.failed("start abandoned: the launcher is shutting down");
      }
      String what =
          process.isAlive() ? "stopped answering" : "exited with status " + process.exitValue();
      return fail(
          operation,
          spec.title()
              + " "
              + what
              + " while starting; last lines of "
              + spec.log()
              + ":\n"
              + LogFiles.tail(spec.log(), 10));
    } catch (TimeoutException e) {
      return ControlResult.pending(
          pid,
          spec.title()
              + " (pid "
              + pid
              + ") did not answer within "
              + spec.startWait().toMillis() / 1000.0
              + " s; it is still starting, watch /api/state or "
              + spec.log());
    } catch (ExecutionException e) {
      return fail(operation, "waiting for " + spec.title() + " failed: " + e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return fail(operation, "interrupted while waiting for " + spec.title() + " to start");
    }
  }

  /** A child of ours exited; unless a stop expected it, that is a crash. */
  private void exited(Child child) {
    ChildStatus now = status.get();
    if (!isLive(now.state(), child)) {
      return; // Stopped on purpose (the stop records it), or long replaced.
    }
    Spawner.Handle process = child.process();
    int exit = process.exitValue();
    Instant at = clock.instant();
    LastError error =
        new LastError(
            "run",
            spec.title()
                + " (pid "
                + process.pid()
                + ") exited with status "
                + exit
                + "; see "
                + spec.log(),
            at);
    boolean again =
        spec.restart() == ChildSpec.Restart.AFTER_CRASH && now.autoRestart() && !shuttingDown;
    Instant readySince = now.state() instanceof Running running ? running.readySince() : null;
    BackingOff planned =
        again
            ? new BackingOff(
                at.plus(backoff.onCrash(readySince)),
                "crash: pid " + process.pid() + " exited with status " + exit)
            : null;
    if (!move(
        s -> isLive(s.state(), child),
        s -> s.with(planned != null ? planned : resting()).withError(error))) {
      return;
    }
    if (now.state() instanceof Starting starting) {
      // After the move, so the waiting start's own message (with the log's last lines) is the one
      // kept.
      starting.ready().complete(false);
    }
    if (planned != null) {
      log.warn(
          "{}: pid {} exited with status {}; restarting in {} s",
          spec.name(),
          process.pid(),
          exit,
          Duration.between(at, planned.restartAt()).toSeconds());
      scheduler.after(Duration.between(at, planned.restartAt()), () -> restartAfterCrash(planned));
    } else {
      log.warn("{}: pid {} exited with status {}", spec.name(), process.pid(), exit);
    }
    onChange.run();
  }

  private void restartAfterCrash(BackingOff planned) {
    operations.lock();
    try {
      if (status.get().state() != planned) {
        return; // Started, stopped or shut down since.
      }
      status.updateAndGet(s -> s.with(new Stopped()).restarted(planned.reason(), clock.instant()));
      ControlResult result = launch("restart after crash");
      log.info("{}: restart after crash: {}", spec.name(), result.message());
      if (!result.succeeded() && !shuttingDown) {
        // Not even spawned (the port is held, say): try again later, further apart each time.
        BackingOff again =
            new BackingOff(clock.instant().plus(backoff.onCrash(null)), planned.reason());
        if (move(s -> s.state() instanceof Stopped && s.autoRestart(), s -> s.with(again))) {
          scheduler.after(
              Duration.between(clock.instant(), again.restartAt()), () -> restartAfterCrash(again));
          onChange.run();
        }
      }
    } finally {
      operations.unlock();
    }
  }

  private ControlResult halt(boolean force, String operation) {
    ChildState was = status.updateAndGet(s -> s.withoutBackoff().withAutoRestart(false)).state();
    Child child = was.live();
    if (child == null) {
      onChange.run();
      return ControlResult.conflict(spec.title() + " is not running");
    }
    if (!child.owned() && !force) {
      return ControlResult.conflict(
          spec.title()
              + " at "
              + spec.url()
              + pid(child.pid())
              + " was not started by this launcher (adopted); send {\"force\": true} to stop it anyway");
    }
    Optional<Long> holder = child.owned() ? Optional.empty() : probe.portHolder();
    Long target = child.pid() != null ? child.pid() : holder.orElse(null);
    if (target == null) {
      return fail(
          operation,
          "cannot find the process that serves "
              + spec.url()
              + " (another user's, or in a"
              + " container); stop "
              + spec.title()
              + " where it runs");
    }
    status.updateAndGet(s -> s.with(new Stopping(child, was)));
    // An adopted child's pid is what it said of itself: it is signalled only when confirmed as the
    // port's listener, so nothing that merely answers like one can make the launcher kill another
    // process of the user's.
    boolean confirmed = child.owned() || holder.filter(target::equals).isPresent();
    Optional<Spawner.Handle> handle =
        child.owned()
            ? Optional.ofNullable(child.process())
            : confirmed ? spawner.attach(target) : Optional.empty();
    boolean asked;
    boolean exited;
    boolean released;
    try {
      asked = probe.askToExit();
      exited =
          handle
              .map(h -> asked && h.awaitExit(STEP_WAIT) || h.terminate(STEP_WAIT, STEP_WAIT))
              .orElse(true);
      released = probe.awaitReleased(confirmed ? STEP_WAIT : STEP_WAIT.multipliedBy(3));
    } catch (RuntimeException e) {
      status.updateAndGet(s -> s.with(was)); // Not stuck as stopping: a later stop can try again.
      throw e;
    }
    if (exited && released) {
      status.updateAndGet(s -> s.with(resting()));
      onChange.run();
      log.info("{}: pid {} stopped ({})", spec.name(), target, operation);
      return ControlResult.ok(
          target, spec.title() + " (pid " + target + ") has stopped and its port is free");
    }
    long waited = STEP_WAIT.toSeconds() * 3;
    String message =
        !confirmed
            ? spec.title()
                + " at "
                + spec.url()
                + " did not stop "
                + (asked ? "when asked to " : "")
                + "within "
                + waited
                + " s, and helix sent it no signal: it says it is pid "
                + target
                + ", but that process does not hold port "
                + spec.port()
                + "; stop what listens on port "
                + spec.port()
                + " yourself"
            : spec.title()
                + " (pid "
                + target
                + ") "
                + (exited
                    ? "exited but port " + spec.port() + " is still held"
                    : "did not exit after TERM and KILL")
                + " within "
                + waited
                + " s";
    // A child still there stays shown as it was, with no restart coming.
    LastError error = new LastError(operation, message, clock.instant());
    status.updateAndGet(s -> s.with(exited ? resting() : was).withError(error));
    onChange.run();
    log.warn("{}: {}", spec.name(), message);
    return ControlResult.timedOut(target, message);
  }

  /**
   * Records a failure. A child not started at all rests as stopped, or absent when not installed; a
   * child that is alive, or whose crash restart is planned, stays as it is.
   */
  private ControlResult fail(String operation, String message) {
    LastError error = new LastError(operation, message, clock.instant());
    status.updateAndGet(
        s ->
            (s.state() instanceof Stopped || s.state() instanceof Absent ? s.with(resting()) : s)
                .withError(error));
    onChange.run();
    log.warn("{}: {}", spec.name(), message);
    return ControlResult.failed(message);
  }

  private ChildState resting() {
    return probe.installed() ? new Stopped() : new Absent();
  }

  private boolean move(Predicate<ChildStatus> when, UnaryOperator<ChildStatus> how) {
    while (true) {
      ChildStatus current = status.get();
      if (!when.test(current)) {
        return false;
      }
      if (status.compareAndSet(current, how.apply(current))) {
        return true;
      }
    }
  }

  @SuppressWarnings("ReferenceEquality") // the same start, not an equal one
  private static boolean isLive(ChildState state, Child child) {
    return state.live() == child;
  }

  private static String pid(@Nullable Long pid) {
    return pid == null ? "" : " (pid " + pid + ")";
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
