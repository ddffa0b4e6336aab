package dev.helix.launcher;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * How long to wait before restarting a crashed child: 1 s, doubling, capped at 60 s, and back to 1
 * s once the child had stayed healthy for 60 s (docs/launcher.md). The clock is passed in so tests
 * control time.
 */
final class Backoff {
  static final Duration FIRST = Duration.ofSeconds(1);

  /** A minute: slow enough not to spin on a child that can never start, short enough to recover. */
  static final Duration CAP = Duration.ofSeconds(60);

  static final Duration HEALTHY_RESET = Duration.ofSeconds(60);

  private final Clock clock;
  private int failures;

  Backoff(Clock clock) {
    this.clock = clock;
  }

  /**
   * Records a crash and returns the delay before the next start.
   *
   * @param readySince when the crashed child last became ready, or null when it never did
   */
  synchronized Duration onCrash(@Nullable Instant readySince) {
    Instant now = clock.instant();
    if (readySince != null && Duration.between(readySince, now).compareTo(HEALTHY_RESET) >= 0) {
      failures = 0;
    }
    failures++;
    Duration delay = FIRST;
    for (int i = 1; i < failures && delay.compareTo(CAP) < 0; i++) {
      delay = delay.multipliedBy(2);
    }
    return delay.compareTo(CAP) > 0 ? CAP : delay;
  }

  /** A deliberate start (not a crash restart) forgets earlier crashes. */
  synchronized void reset() {
    failures = 0;
  }
}
