package dev.helix.compress;

import dev.helix.text.Strip;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Logs and other line-oriented output: errors, stack traces, warnings and summary lines first; runs
 * of lines that differ only in numbers folded into one line with a count; lines already seen
 * earlier ranked last.
 */
final class LogCompressor implements Compressor {
  /**
   * Lines at the very start and end set the scene (command, exit status) and rank above the rest.
   */
  private static final int HEAD_LINES = 5;

  private static final int TAIL_LINES = 10;

  /** Runs shorter than this are shown as they are: folding two lines saves nothing. */
  private static final int MIN_FOLD = 3;

  /**
   * The frames of a queried exception's trace ranked with the query: enough to reach from the
   * library frames at the top to the caller's own code in the traces here (the dpkg excerpt's trace
   * reaches its own code at the fifth frame, the Maven test log's at the second).
   */
  private static final int QUERIED_FRAMES = 10;

  private final Packer packer;

  LogCompressor(Packer packer) {
    this.packer = packer;
  }

  @Override
  public Packed compress(String text, int budget, Query query) {
    return packer.pack(units(Lines.split(text), query), budget, "lines");
  }

  List<Unit> units(List<String> lines, Query query) {
    int n = lines.size();
    double[] priority = new double[n];
    int frameDepth = 0;
    boolean queried = false;
    boolean thrown = false;
    for (int i = 0; i < n; i++) {
      String line = Lines.strip(lines.get(i));
      boolean frame = Signals.isStackFrame(line);
      boolean cause =
          frame && (line.strip().startsWith("Caused by") || line.strip().startsWith("Suppressed"));
      // A "Caused by" starts a new trace: its first frames matter as much as the outer ones.
      frameDepth = cause ? 0 : frame ? frameDepth + 1 : 0;
      priority[i] = priority(line, i, n, frame, frameDepth, query);
      if (!frame || cause) {
        // The line the frames below hang from: an exception line, a "Caused by", or a log line.
        queried = priority[i] >= Signals.QUERY || cause && queried;
        thrown = priority[i] >= Signals.ERROR;
      } else if (queried && frameDepth <= QUERIED_FRAMES) {
        priority[i] = Math.max(priority[i], Signals.QUERIED_TRACE - frameDepth);
      } else if (thrown && frameDepth <= Signals.TOP_FRAMES) {
        // Where an error broke ranks with it; a warning's trace stays with the other frames.
        priority[i] = Math.max(priority[i], Signals.THROWN - 10 * frameDepth);
      }
    }
    String[] shapes = new String[n];
    for (int k = 0; k < n; k++) {
      shapes[k] = Lines.shape(lines.get(k));
    }
    List<Unit> units = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    int i = 0;
    while (i < n) {
      String shape = shapes[i];
      int end = i + 1;
      boolean identical = true;
      while (end < n
          && shapes[end].equals(shape)
          && (priority[end] < Signals.MUST_KEEP || lines.get(end).equals(lines.get(i)))
          && (priority[i] < Signals.MUST_KEEP || lines.get(end).equals(lines.get(i)))) {
        identical &= lines.get(end).equals(lines.get(i));
        end++;
      }
      int run = end - i;
      if (run >= MIN_FOLD || (run == 2 && identical)) {
        double best = 0;
        for (int k = i; k < end; k++) {
          best = Math.max(best, priority[k]);
        }
        String first = Lines.strip(lines.get(i));
        String fold = identical ? "  [×" + run + "]" : "  [+" + (run - 1) + " similar lines]";
        units.add(new Unit(first + fold + "\n", demoteIfSeen(seen, shape, best), run));
      } else {
        for (int k = i; k < end; k++) {
          units.add(new Unit(lines.get(k), demoteIfSeen(seen, shapes[k], priority[k])));
        }
      }
      i = end;
    }
    return units;
  }

  /** A line that is its level and nothing else: {@code [ERROR]}, {@code INFO}. */
  private static boolean isOnlyLevel(String line) {
    int start = Strip.start(line, 0, line.length());
    int end = Strip.end(line, start, line.length());
    if (end - start >= 2 && line.charAt(start) == '[' && line.charAt(end - 1) == ']') {
      start++;
      end--;
    }
    for (int i = start; i < end; i++) {
      if (!Character.isLetter(line.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** A line seen before says nothing new: it goes last, or below the unique must-keep lines. */
  private static double demoteIfSeen(Set<String> seen, String shape, double priority) {
    // A query match is what the reader asked for, however often its shape occurs.
    if (shape.isBlank() || seen.add(shape) || priority >= Signals.QUERY) {
      return priority;
    }
    return priority >= Signals.MUST_KEEP ? Signals.SUMMARY - 1 : Signals.DUPLICATE;
  }

  static double priority(
      String line, int index, int total, boolean frame, int frameDepth, Query query) {
    String lower = line.toLowerCase(java.util.Locale.ROOT);
    int match = query.scoreLower(lower);
    if (match > 0) {
      return query.priority(match);
    }
    if (line.isBlank()) {
      return Signals.DUPLICATE;
    }
    if (frame && frameDepth == 0) {
      return Signals.THROWN; // "Caused by: ..." names the real failure
    }
    if (frame) {
      // The top frames say where it broke (those of an error rank with it: units); deep frames
      // are framework.
      return Signals.STACK - Math.min(frameDepth, 900);
    }
    Signals.Level level = Signals.declaredLevel(line);
    if (level != null && isOnlyLevel(line)) {
      return Signals.DUPLICATE; // "[ERROR] " between Maven's paragraphs says nothing
    }
    if (level == Signals.Level.FATAL) {
      return Signals.FATAL;
    }
    if (level == Signals.Level.ERROR) {
      return Signals.ERROR_LEVEL;
    }
    // A line that declares a milder level keeps it, whatever exception it names ("[WARNING] …
    // close() could throw InterruptedException"); only a line with no level is judged by its words.
    double error = level == null ? Signals.errorPriority(line) : 0;
    if (error > 0) {
      return error;
    }
    if (level == Signals.Level.WARNING || (level == null && Signals.isWarning(line, lower))) {
      return Signals.WARNING;
    }
    if (Signals.isSummary(line, lower)) {
      return Signals.SUMMARY;
    }
    if (index < HEAD_LINES || index >= total - TAIL_LINES) {
      return Signals.EDGE
          + (index < HEAD_LINES ? HEAD_LINES - index : index - total + TAIL_LINES + 1);
    }
    // Later lines are slightly preferred: the end of a log is usually closer to the outcome.
    return Signals.ORDINARY + 500.0 * index / total;
  }
}
