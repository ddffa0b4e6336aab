package dev.helix.launcher;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The description of one supervised child: what to run and how to recognise it.
 *
 * @param name the child's name in log lines ({@code server}, {@code headroom})
 * @param title how a sentence names it ({@code the server}, {@code Headroom})
 * @param product what it is, after an article ({@code helix server}, {@code Headroom})
 * @param url where it answers
 * @param startWait how long a start waits for it to answer before it says "still starting"
 * @param adoptsLater whether a stopped one is adopted when one appears (Headroom) or left alone
 */
record ChildSpec(
    String name,
    String title,
    String product,
    String url,
    int port,
    List<String> command,
    Map<String, String> env,
    Path log,
    Duration startWait,
    Restart restart,
    boolean adoptsLater,
    ChildProbe probe) {

  /** What happens after the child crashes. */
  enum Restart {
    /** Nothing: the crash is shown and the child stays stopped. */
    NEVER,
    /** Started again after a {@link Backoff} delay. */
    AFTER_CRASH
  }

  ChildSpec {
    command = List.copyOf(command);
    env = Map.copyOf(env);
    if (command.isEmpty()) {
      throw new IllegalArgumentException(
          "the " + name + " command is empty; give the program to run and its arguments");
    }
  }

  /** The parts every supervisor is given: time, processes, and whom to tell of a change. */
  record Parts(Clock clock, Scheduler scheduler, Spawner spawner, Runnable onChange) {}
}
