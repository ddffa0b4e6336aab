package dev.helix.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/**
 * Prints the JSON answers of {@code /context}, {@code /context/packet} and {@code /ingest}: exactly
 * as JSON, or readably. Both renderings read the same JSON map, so a server's answer and a local
 * one print alike.
 */
final class Render {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Render() {}

  static void json(PrintWriter out, Object document) throws JsonProcessingException {
    out.println(JSON.writeValueAsString(document));
    out.flush();
  }

  static void context(PrintWriter out, Map<String, Object> a) {
    verdictLine(out, a);
    List<?> citations = (List<?>) a.getOrDefault("citations", List.of());
    if (!citations.isEmpty()) {
      out.println();
      out.println("citations:");
      int n = 1;
      for (Object o : citations) {
        Map<?, ?> c = (Map<?, ?>) o;
        List<?> lines = (List<?>) c.get("lines");
        out.printf("  [%d] %s:%s-%s  score %s%s%n", n++, c.get("source"), lines.get(0), lines.get(1), c.get("score"),
            Boolean.TRUE.equals(c.get("stale")) ? "  STALE" : "");
      }
    }
    for (Object w : (List<?>) a.getOrDefault("warnings", List.of())) {
      out.println("warning: " + w);
    }
    String context = String.valueOf(a.getOrDefault("context", ""));
    if (!context.isEmpty()) {
      out.println();
      out.println(context);
    }
    out.flush();
  }

  static void packet(PrintWriter out, Map<String, Object> a) {
    verdictLine(out, a);
    section(out, "verified", (List<?>) a.getOrDefault("verified", List.of()));
    section(out, "stale risk", (List<?>) a.getOrDefault("stale_risk", List.of()));
    List<?> refresh = (List<?>) a.getOrDefault("refresh_targets", List.of());
    if (!refresh.isEmpty()) {
      out.println();
      out.println("refresh (re-ingest): " + String.join(" ", refresh.stream().map(String::valueOf).toList()));
    }
    out.flush();
  }

  private static void verdictLine(PrintWriter out, Map<String, Object> a) {
    if ("know".equals(a.get("verdict"))) {
      out.printf("verdict: know (confidence %s)%n", a.get("confidence"));
    } else {
      out.printf("verdict: miss (%s): do not answer from this context%n", a.get("reason"));
      List<?> refresh = (List<?>) a.getOrDefault("refresh_targets", List.of());
      if (!refresh.isEmpty() && a.containsKey("context")) {
        out.println("refresh (re-ingest): " + String.join(" ", refresh.stream().map(String::valueOf).toList()));
      }
    }
    Object recommendation = a.get("recommendation");
    if (recommendation != null) {
      out.println("recommendation: " + recommendation);
    }
  }

  private static void section(PrintWriter out, String title, List<?> items) {
    if (items.isEmpty()) {
      return;
    }
    out.println();
    out.println(title + ":");
    for (Object o : items) {
      Map<?, ?> i = (Map<?, ?>) o;
      List<?> lines = (List<?>) i.get("lines");
      out.printf("  %s:%s-%s  %s, score %s, modified %s%n", i.get("source"), lines.get(0), lines.get(1),
          i.get("freshness"), i.get("score"), i.get("modified_at"));
    }
  }

  /** The one-paragraph summary of an ingest. */
  static void ingest(PrintWriter out, Map<String, Object> r) {
    Map<?, ?> skipped = (Map<?, ?>) r.get("skipped");
    Map<?, ?> store = (Map<?, ?>) r.get("store");
    out.printf("indexed %s files (%s unchanged, %s removed): %s chunks, %.2f MB in %.2f s (%.2f MB/s)%n",
        r.get("files"), r.get("unchanged"), r.get("removed"), r.get("chunks"),
        num(r.get("mb")), num(r.get("seconds")), num(r.get("mb_per_s")));
    out.printf("skipped %s binary files and %s files over [store] max_file_bytes%n",
        skipped.get("binary"), skipped.get("too_large"));
    out.printf("store: %s chunks from %s sources, %.1f MB on disk%n", store.get("chunks"), store.get("sources"),
        num(store.get("store_bytes")) / 1_048_576.0);
    if (r.get("roots") instanceof List<?> roots && !roots.isEmpty()) {
      out.printf("roots: %s (helix roots lists them; a running server keeps them in sync)%n",
          String.join(", ", roots.stream().map(String::valueOf).toList()));
    }
    out.flush();
  }

  /** Roots as a table: name, state, files, chunks, last sync, pending, path. */
  static void roots(PrintWriter out, List<?> roots) {
    if (roots.isEmpty()) {
      out.println("no roots yet: helix ingest PATH adds a folder, and a running server keeps it in sync");
      out.flush();
      return;
    }
    out.printf("%-20s %-8s %7s %8s %-20s %7s  %s%n", "NAME", "STATE", "FILES", "CHUNKS", "LAST SYNC", "PENDING", "PATH");
    for (Object o : roots) {
      Map<?, ?> r = (Map<?, ?>) o;
      Object sync = r.get("last_sync");
      out.printf("%-20s %-8s %7s %8s %-20s %7s  %s%s%n", r.get("name"), r.get("state"), r.get("files"), r.get("chunks"),
          sync == null ? "never" : String.valueOf(sync).replaceFirst("\\.\\d+Z$", "Z"), r.get("pending"), r.get("path"),
          r.get("error") == null ? "" : "  (" + r.get("error") + ")");
    }
    out.flush();
  }

  private static double num(Object o) {
    return o instanceof Number n ? n.doubleValue() : 0;
  }
}
