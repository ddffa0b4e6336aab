package dev.helix.proxy;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Checks in the background whether the upstream answers at all, so {@code /health} reports it
 * without ever waiting on a hanging upstream (docs/api.md: health answers within about a second).
 */
final class UpstreamProbe implements AutoCloseable {
  /** Short enough that a hanging upstream is reported unreachable quickly. */
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

  /** Often enough for a dashboard that refreshes every few seconds, rare enough to be free. */
  private static final long PERIOD_SECONDS = 10;

  /** Names the probe in the upstream's logs, and lets test stand-ins tell it from real traffic. */
  static final String USER_AGENT = "helix-health-probe/1";

  private final UpstreamClient client;
  private final URI target;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofVirtual().name("helix-upstream-probe").factory());
  private volatile boolean reachable;

  UpstreamProbe(UpstreamClient client, URI target) {
    this.client = client;
    this.target = target;
    var unused = timer.scheduleWithFixedDelay(this::probe, 0, PERIOD_SECONDS, TimeUnit.SECONDS);
  }

  boolean reachable() {
    return reachable;
  }

  private void probe() {
    try {
      // Any HTTP answer, even 401 without a key, means the upstream is there.
      // Closed unread: the probe's connection is dropped, never pooled with the chats' ones.
      client
          .send("GET", target, List.of(Map.entry("User-Agent", USER_AGENT)), null, PROBE_TIMEOUT)
          .close();
      reachable = true;
    } catch (IOException | RuntimeException e) {
      reachable = false;
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
