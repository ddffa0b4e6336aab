package dev.helix.launcher;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/** Where a supervised child is in its life (docs/launcher.md). */
sealed interface ChildState {
  /**
   * The word {@code /api/state} and the state file show. The dashboard knows four: a child waiting
   * out its back-off shows as stopped, one being stopped as what it was.
   */
  default String word() {
    return switch (this) {
      case Absent a -> "absent";
      case Stopped s -> "stopped";
      case BackingOff b -> "stopped";
      case Starting s -> "starting";
      case Running r -> "running";
      case Stopping s -> s.was().word();
    };
  }

  /** The process this state is about, if any (also while it is being stopped). */
  default @Nullable Child child() {
    return switch (this) {
      case Absent a -> null;
      case Stopped s -> null;
      case BackingOff b -> null;
      case Starting s -> s.child();
      case Running r -> r.child();
      case Stopping s -> s.child();
    };
  }

  /** The process of a child that is starting or running: what a stop acts on. */
  default @Nullable Child live() {
    return this instanceof Starting || this instanceof Running ? child() : null;
  }

  /** Not installed: its command is not found, so it cannot be started. */
  record Absent() implements ChildState {}

  /** Not running, and nothing will start it but a request. */
  record Stopped() implements ChildState {}

  /** Crashed; restarted at {@code restartAt}. */
  record BackingOff(Instant restartAt, String reason) implements ChildState {}

  /**
   * Spawned, not answering yet; {@code ready} completes with true once it answers, false if it
   * never will.
   */
  record Starting(Child child, CompletableFuture<Boolean> ready) implements ChildState {}

  /** Answering since {@code readySince}. */
  record Running(Child child, Instant readySince) implements ChildState {}

  /** Being stopped on purpose: its exit is expected, so it is neither a crash nor restarted. */
  record Stopping(Child child, ChildState was) implements ChildState {}

  /**
   * One child process. {@code process} is null for an adopted child (not started by this launcher);
   * its {@code pid} is then what it said of itself, or null when unknown.
   */
  record Child(
      Spawner.@Nullable Handle process,
      @Nullable Long pid,
      Instant startedAt,
      @Nullable String processStart) {
    boolean owned() {
      return process != null;
    }
  }
}
