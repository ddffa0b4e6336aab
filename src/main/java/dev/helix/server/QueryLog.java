package dev.helix.server;

import dev.helix.context.Verdict;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The retrievals this server answered, for {@code GET /stats}: totals by verdict and the most
 * recent ones, which the launcher dashboard draws as its know/miss rate and latency chart.
 */
final class QueryLog {
  /** The dashboard's chart shows the last 100 queries. */
  static final int RECENT = 100;

  private record Entry(long at, String verdict, long latencyMs) {}

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

  /** {@code {total, know, miss, recent: [{at, verdict, latency_ms}]}}, oldest first. */
  synchronized Map<String, Object> toJson() {
    List<Map<String, Object>> items = new ArrayList<>(recent.size());
    for (Entry e : recent) {
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("at", e.at());
      item.put("verdict", e.verdict());
      item.put("latency_ms", e.latencyMs());
      items.add(item);
    }
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("total", total);
    json.put("know", know);
    json.put("miss", miss);
    json.put("recent", items);
    return json;
  }
}
