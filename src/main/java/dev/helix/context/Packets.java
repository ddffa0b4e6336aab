package dev.helix.context;

import dev.helix.store.Store;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Evidence packets: the top chunks, each checked against the disk and sorted freshest first, split
 * into {@code verified} and {@code stale_risk} by the task's freshness bar. The bar tightens with
 * the risk of acting on old text: explaining tolerates a chunk that moved inside its file;
 * reviewing needs it at its cited lines; editing, debugging and operating need the whole file
 * unchanged since it was indexed, because any edit elsewhere shifts the lines they will touch.
 */
final class Packets {
  private Packets() {}

  /** The freshest state a task still accepts as verified. */
  static Freshness.State bar(TaskType task) {
    return switch (task) {
      case EXPLAIN -> Freshness.State.MOVED;
      case REVIEW -> Freshness.State.SAME_LINES;
      case EDIT, DEBUG, OPS -> Freshness.State.UNCHANGED;
    };
  }

  private record Item(Ranking.Candidate candidate, Freshness.State state, PacketItem item) {}

  static PacketAnswer build(Verdicts.Judged j, Store store, Clock clock, PacketRequest request)
      throws IOException {
    Freshness freshness = new Freshness(store);
    Freshness.State bar = bar(request.taskType());
    double max = Verdicts.maxFused(j.ranking());
    List<Item> items = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    boolean noMatch =
        j.ranking().candidates().isEmpty() || j.score().confidence() < Evidence.NO_MATCH;
    if (!noMatch) {
      for (Ranking.Candidate c : j.ranking().candidates()) {
        if (items.size() >= request.maxChunks()) {
          break;
        }
        if (!ids.add(c.chunk().id())) {
          continue;
        }
        Freshness.State state = freshness.of(c.chunk());
        items.add(new Item(c, state, item(c, state, max, clock)));
      }
    }
    boolean topVerified = !items.isEmpty() && items.getFirst().state().compareTo(bar) <= 0;
    Comparator<Item> order =
        Comparator.<Item, Freshness.State>comparing(i -> i.state())
            .thenComparing(i -> -i.candidate().chunk().mtimeMillis())
            .thenComparing(i -> -i.candidate().fused());
    List<PacketItem> verified = new ArrayList<>();
    List<PacketItem> risk = new ArrayList<>();
    Set<String> refresh = new LinkedHashSet<>();
    items.stream()
        .sorted(order)
        .forEach(
            i -> {
              if (i.state().compareTo(bar) <= 0) {
                verified.add(i.item());
              } else {
                risk.add(i.item());
                refresh.add(i.candidate().chunk().source());
              }
            });
    Verdict verdict;
    if (noMatch) {
      verdict = new Verdict.Miss(MissReason.NO_MATCH, Verdicts.ESCALATE, List.of());
    } else if (!j.score().know()) {
      verdict = new Verdict.Miss(MissReason.SPARSE, Verdicts.ESCALATE, List.copyOf(refresh));
    } else if (!topVerified) {
      verdict = new Verdict.Miss(MissReason.STALE, List.of(), List.copyOf(refresh));
    } else {
      List<Ranking.Candidate> c = j.ranking().candidates();
      double top = c.getFirst().fused() / max;
      double second = c.size() > 1 ? c.get(1).fused() / max : 0;
      verdict =
          new Verdict.Know(
              Verdicts.round(j.score().confidence()),
              Verdicts.round(top),
              Verdicts.round(top - second));
    }
    return new PacketAnswer(verdict, verified, risk, List.copyOf(refresh));
  }

  private static PacketItem item(
      Ranking.Candidate c, Freshness.State state, double max, Clock clock) {
    Store.Chunk chunk = c.chunk();
    return new PacketItem(
        chunk.id(),
        chunk.source(),
        List.of(chunk.startLine(), chunk.endLine()),
        Verdicts.round(c.fused() / max),
        state.word(),
        state.stale(),
        Instant.ofEpochMilli(chunk.mtimeMillis()).toString(),
        Instant.ofEpochMilli(chunk.indexedAtMillis()).toString(),
        Math.max(0, (clock.millis() - chunk.indexedAtMillis()) / 1000),
        chunk.contentType(),
        chunk.language(),
        chunk.text());
  }
}
