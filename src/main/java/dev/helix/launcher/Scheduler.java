package dev.helix.launcher;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs a task after a delay: how a supervisor waits out a back-off or polls for readiness. */
interface Scheduler {
  void after(Duration delay, Runnable task);

  /**
   * The launcher's scheduler: each task runs on a virtual thread of its own, so a probe or a
   * restart that blocks for seconds never holds up the executor's one thread (state writes,
   * monitoring). A task due after the executor has shut down is dropped: the launcher is closing.
   */
  static Scheduler on(ScheduledExecutorService executor) {
    Logger log = LoggerFactory.getLogger(Scheduler.class);
    return (delay, task) -> {
      try {
        var unused =
            executor.schedule(
                () -> Thread.ofVirtual().name("helix-launcher-task").start(task),
                delay.toMillis(),
                TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException e) {
        log.debug(
            "launcher: dropped a task due in {} ms: the launcher is closing", delay.toMillis());
      }
    };
  }
}
