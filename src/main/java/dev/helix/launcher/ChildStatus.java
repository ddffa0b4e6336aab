package dev.helix.launcher;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Everything a supervisor knows about its child at one moment, immutable, so a reader (the
 * dashboard, the state file) sees one consistent picture while an operation is in progress.
 *
 * @param autoRestart whether a crash now would be followed by a restart
 */
record ChildStatus(
    ChildState state,
    @Nullable LastError lastError,
    int restarts,
    @Nullable Restart lastRestart,
    boolean autoRestart) {

  /** Why and when the child was last restarted. */
  record Restart(String reason, Instant at) {}

  static ChildStatus initial(ChildState state) {
    return new ChildStatus(state, null, 0, null, false);
  }

  ChildStatus with(ChildState next) {
    return new ChildStatus(next, lastError, restarts, lastRestart, autoRestart);
  }

  ChildStatus withError(LastError error) {
    return new ChildStatus(state, error, restarts, lastRestart, autoRestart);
  }

  ChildStatus withAutoRestart(boolean on) {
    return new ChildStatus(state, lastError, restarts, lastRestart, on);
  }

  ChildStatus restarted(String reason, Instant at) {
    return new ChildStatus(state, lastError, restarts + 1, new Restart(reason, at), autoRestart);
  }

  /** A pending crash restart is called off: the child rests as stopped. */
  ChildStatus withoutBackoff() {
    return state instanceof ChildState.BackingOff ? with(new ChildState.Stopped()) : this;
  }
}
