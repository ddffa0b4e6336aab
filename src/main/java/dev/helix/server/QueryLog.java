package dev.helix.server;

import dev.helix.context.Verdict;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The retrievals this server answered, for {@code GET /stats}: totals by verdict and the most
 * recent ones, which the launcher dashboard draws as its know/miss rate and latency chart.
 */
final class QueryLog {
  /** The dashboard's chart shows the last 100 queries. */
  static final int RECENT = 100;

  /** One retrieval: when (epoch milliseconds), its verdict word and latency. */
  record Entry(long at, String verdict, long latencyMs) {}

  /** {@code {total, know, miss, recent: [{at, verdict, latency_ms}]}}, oldest first. */
  record Snapshot(long total, long know, long miss, List<Entry> recent) {
    Snapshot {
      recent = List.copyOf(recent);
    }
  }

  private final Clock clock;
  private final ArrayDeque<Entry> recent = new ArrayDeque<>(RECENT);
  private long total;
  private long know;
  private long miss;

  QueryLog(Clock clock) {
    this.clock = clock;
  }

  synchronized void record(Verdict verdict, long latencyMs) {
    total++;
    switch (verdict) {
      case Verdict.Know k -> know++;
      case Verdict.Miss m -> miss++;
    }
    if (recent.size() == RECENT) {
      recent.removeFirst();
    }
    recent.addLast(new Entry(clock.millis(), verdict.word(), latencyMs));
  }

  /** The totals and the recent retrievals as they are now. */
  synchronized Snapshot snapshot() {
    return new Snapshot(total, know, miss, List.copyOf(recent));
  }
}
