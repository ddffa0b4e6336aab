package dev.helix.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class BackoffTest {
  /** A clock the test moves by hand. */
  static final class ManualClock extends Clock {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void repeatedCrashesWaitOneSecondDoublingUpToOneMinute() {
    ManualClock clock = new ManualClock();
    Backoff backoff = new Backoff(clock);
    long[] seconds = new long[9];
    for (int i = 0; i < seconds.length; i++) {
      Instant readyAt = clock.instant();
      clock.advance(Duration.ofSeconds(2));
      seconds[i] = backoff.onCrash(readyAt).toSeconds();
    }
    assertThat(seconds).containsExactly(1, 2, 4, 8, 16, 32, 60, 60, 60);
  }

  @Test
  void aMinuteOfHealthBringsTheDelayBackToOneSecond() {
    ManualClock clock = new ManualClock();
    Backoff backoff = new Backoff(clock);
    backoff.onCrash(null);
    backoff.onCrash(null);
    assertThat(backoff.onCrash(null)).isEqualTo(Duration.ofSeconds(4));
    Instant readyAt = clock.instant();
    clock.advance(Duration.ofSeconds(59));
    assertThat(backoff.onCrash(readyAt))
        .as("59 s healthy is not enough")
        .isEqualTo(Duration.ofSeconds(8));
    readyAt = clock.instant();
    clock.advance(Duration.ofSeconds(60));
    assertThat(backoff.onCrash(readyAt)).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void aChildThatNeverBecameReadyKeepsBackingOff() {
    ManualClock clock = new ManualClock();
    Backoff backoff = new Backoff(clock);
    backoff.onCrash(null);
    clock.advance(Duration.ofMinutes(10));
    assertThat(backoff.onCrash(null)).isEqualTo(Duration.ofSeconds(2));
  }
}
