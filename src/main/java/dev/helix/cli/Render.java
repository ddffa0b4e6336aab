package dev.helix.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helix.context.Citation;
import dev.helix.context.ContextAnswer;
import dev.helix.context.IngestReport;
import dev.helix.context.PacketAnswer;
import dev.helix.context.PacketItem;
import dev.helix.context.RootStatus;
import dev.helix.context.StoreStats;
import dev.helix.context.Verdict;
import java.io.PrintWriter;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Prints the answers of {@code /context}, {@code /context/packet}, {@code /ingest} and {@code
 * /roots}: exactly as JSON, or readably. A server's answer is read into the same records a local
 * store returns, so both print alike.
 */
final class Render {
  private Render() {}

  /** {@code document} as indented JSON, through the CLI's one mapper. */
  static void json(PrintWriter out, ObjectMapper mapper, Object document)
      throws JsonProcessingException {
    out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(document));
    out.flush();
  }

  static void context(PrintWriter out, ContextAnswer a) {
    verdictLine(out, a.verdict(), a.recommendation().word(), true);
    if (!a.citations().isEmpty()) {
      out.println();
      out.println("citations:");
      int n = 1;
      for (Citation c : a.citations()) {
        out.printf(
            "  [%d] %s:%s-%s  score %s%s%n",
            n++, c.source(), c.startLine(), c.endLine(), c.score(), c.stale() ? "  STALE" : "");
      }
    }
    for (String w : a.warnings()) {
      out.println("warning: " + w);
    }
    if (!a.context().isEmpty()) {
      out.println();
      out.println(a.context());
    }
    out.flush();
  }

  static void packet(PrintWriter out, PacketAnswer a) {
    verdictLine(out, a.verdict(), null, false);
    section(out, "verified", a.verified());
    section(out, "stale risk", a.staleRisk());
    if (!a.refreshTargets().isEmpty()) {
      out.println();
      out.println("refresh (re-ingest): " + String.join(" ", a.refreshTargets()));
    }
    out.flush();
  }

  /**
   * The verdict; a context answer's miss names what to re-ingest here, a packet says so at its end.
   */
  private static void verdictLine(
      PrintWriter out, Verdict verdict, @Nullable String recommendation, boolean refreshHere) {
    switch (verdict) {
      case Verdict.Know k -> out.printf("verdict: know (confidence %s)%n", k.confidence());
      case Verdict.Miss m -> {
        out.printf("verdict: miss (%s): do not answer from this context%n", m.reason().word());
        if (refreshHere && !m.refreshTargets().isEmpty()) {
          out.println("refresh (re-ingest): " + String.join(" ", m.refreshTargets()));
        }
      }
    }
    if (recommendation != null) {
      out.println("recommendation: " + recommendation);
    }
  }

  private static void section(PrintWriter out, String title, List<PacketItem> items) {
    if (items.isEmpty()) {
      return;
    }
    out.println();
    out.println(title + ":");
    for (PacketItem i : items) {
      out.printf(
          "  %s:%s-%s  %s, score %s, modified %s%n",
          i.source(), i.lines().get(0), i.lines().get(1), i.freshness(), i.score(), i.modifiedAt());
    }
  }

  /** The one-paragraph summary of an ingest. */
  static void ingest(PrintWriter out, IngestReport r) {
    StoreStats store = r.store();
    out.printf(
        "indexed %s files (%s unchanged, %s removed): %s chunks, %.2f MB in %.2f s (%.2f MB/s)%n",
        r.files(), r.unchanged(), r.removed(), r.chunks(), r.mb(), r.seconds(), r.mbPerSecond());
    out.printf(
        "skipped %s binary files and %s files over [store] max_file_bytes%n",
        r.skippedBinary(), r.skippedTooLarge());
    out.printf(
        "store: %s chunks from %s sources, %.1f MB on disk%n",
        store.chunks(), store.sources(), store.storeBytes() / 1_048_576.0);
    if (!r.roots().isEmpty()) {
      out.printf(
          "roots: %s (helix roots lists them; a running server keeps them in sync)%n",
          String.join(", ", r.roots()));
    }
    out.flush();
  }

  /** Roots as a table: name, state, files, chunks, last sync, pending, path. */
  static void roots(PrintWriter out, List<RootStatus> roots) {
    if (roots.isEmpty()) {
      out.println(
          "no roots yet: helix ingest PATH adds a folder, and a running server keeps it in sync");
      out.flush();
      return;
    }
    out.printf(
        "%-20s %-8s %7s %8s %-20s %7s  %s%n",
        "NAME", "STATE", "FILES", "CHUNKS", "LAST SYNC", "PENDING", "PATH");
    for (RootStatus r : roots) {
      String sync = r.lastSync();
      out.printf(
          "%-20s %-8s %7s %8s %-20s %7s  %s%s%n",
          r.name(),
          r.state().word(),
          r.files(),
          r.chunks(),
          sync == null ? "never" : sync.replaceFirst("\\.\\d+Z$", "Z"),
          r.pending(),
          r.path(),
          r.error() == null ? "" : "  (" + r.error() + ")");
    }
    out.flush();
  }
}
