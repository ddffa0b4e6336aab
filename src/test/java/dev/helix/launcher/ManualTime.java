package dev.helix.launcher;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A clock and a scheduler that move only when the test says: {@link #advance} runs every task that
 * falls due, in order, as the clock passes it.
 */
final class ManualTime implements Scheduler {
  final BackoffTest.ManualClock clock = new BackoffTest.ManualClock();
  private final List<Task> tasks = new ArrayList<>();
  private long order;

  private record Task(Instant due, long order, Runnable run) {}

  @Override
  public synchronized void after(Duration delay, Runnable task) {
    tasks.add(new Task(clock.instant().plus(delay), order++, task));
  }

  /** Moves the clock forward by {@code by}, running each task when its time comes. */
  void advance(Duration by) {
    Instant end = clock.instant().plus(by);
    while (true) {
      Task next;
      synchronized (this) {
        next =
            tasks.stream()
                .filter(t -> !t.due().isAfter(end))
                .min(Comparator.comparing(Task::due).thenComparingLong(Task::order))
                .orElse(null);
        if (next == null) {
          break;
        }
        tasks.remove(next);
      }
      if (next.due().isAfter(clock.instant())) {
        clock.now = next.due();
      }
      next.run().run();
    }
    clock.now = end;
  }

  /** When the next task is due, or null when none is waiting. */
  synchronized Instant nextDue() {
    return tasks.stream().map(Task::due).min(Comparator.naturalOrder()).orElse(null);
  }
}
