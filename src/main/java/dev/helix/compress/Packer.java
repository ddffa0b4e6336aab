package dev.helix.compress;

import dev.helix.text.Strip;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fits units into a token budget: keeps the highest-priority units that fit, shows them in their
 * original order, and puts a note such as {@code [… 12 lines omitted …]} where units were dropped.
 * The notes count against the budget, and the result is counted again as a whole (line by line,
 * {@link LineCounts}, where lines do not merge), so the budget is never exceeded even when tokens
 * merge differently across unit boundaries.
 */
final class Packer {
  /** Units smaller than this many free tokens are not worth cutting down to fit. */
  private static final int MIN_CUT_TOKENS = 12;

  /**
   * After this many candidates in a row did not fit, stop trying lower-priority ones: they are
   * rarely smaller, and counting them all would cost as much as counting the whole input.
   */
  private static final int MAX_MISSES = 64;

  private final Tokens tokens;

  /** {@link #noteCost} by label: a handful of labels, counted once instead of on every call. */
  private final Map<String, Integer> noteCosts = new ConcurrentHashMap<>();

  Packer(Tokens tokens) {
    this.tokens = tokens;
  }

  /** Packs {@code units} into at most {@code budget} tokens; {@code label} names them in notes. */
  Compressor.Packed pack(List<Unit> units, int budget, String label) {
    int n = units.size();
    if (n == 0 || budget <= 0) {
      int all = 0;
      for (Unit unit : units) {
        all += unit.count();
      }
      return new Compressor.Packed("", all);
    }
    String[] shown = new String[n];
    boolean[] kept = new boolean[n];
    int[] order = byPriority(units);
    // The kept units' counts, to count the output by: lines are summed, not encoded again.
    LineCounts counts = new LineCounts(tokens);

    int noteCost = noteCost(label);
    int used = noteCost; // one gap covers everything while nothing is kept
    int misses = 0;
    for (int idx : order) {
      Unit unit = units.get(idx);
      boolean gapLeft = idx > 0 && !kept[idx - 1];
      boolean gapRight = idx < n - 1 && !kept[idx + 1];
      int gapDelta = gapLeft && gapRight ? 1 : !gapLeft && !gapRight ? -1 : 0;
      int room = budget - used - gapDelta * noteCost;
      boolean must = unit.priority() >= Signals.MUST_KEEP;
      if (!must && (room <= 0 || minimumTokens(unit.text()) > room)) {
        if (++misses > MAX_MISSES) {
          break;
        }
        continue; // cannot fit, known without counting it
      }
      // Counted only as far as the room: a long line that cannot fit costs no more than the room.
      int cost = tokens.countWithin(unit.text(), room);
      if (cost >= 0) {
        kept[idx] = true;
        shown[idx] = unit.text();
        counts.remember(unit.text(), cost);
        used += cost + gapDelta * noteCost;
        misses = 0;
      } else if (must && room >= MIN_CUT_TOKENS) {
        String cut = cut(unit.text(), room);
        kept[idx] = true;
        shown[idx] = cut;
        int cutCost = tokens.count(cut);
        counts.remember(cut, cutCost);
        used += cutCost + gapDelta * noteCost;
        misses = 0;
      } else if (++misses > MAX_MISSES) {
        break;
      }
    }
    return fit(units, kept, shown, order, budget, label, counts);
  }

  /** The most a note can cost: the widest count, its separator, and a token for a merge. */
  private int noteCost(String label) {
    return noteCosts.computeIfAbsent(label, l -> tokens.count(note(9_999_999, l) + "\n\n") + 1);
  }

  /** Renders, then drops the lowest-priority kept units until the whole really fits. */
  private Compressor.Packed fit(
      List<Unit> units,
      boolean[] kept,
      String[] shown,
      int[] order,
      int budget,
      String label,
      LineCounts counts) {
    int last = order.length - 1;
    while (true) {
      String text = render(units, kept, shown, label);
      int count = counts.countWithin(text, budget);
      if (count >= 0) {
        return new Compressor.Packed(text, omitted(units, kept), count);
      }
      while (last >= 0 && !kept[order[last]]) {
        last--;
      }
      if (last < 0) {
        return new Compressor.Packed(tokens.truncate(text, budget), omitted(units, kept));
      }
      kept[order[last]] = false;
    }
  }

  /**
   * Unit indices by priority, highest first; equal priorities keep input order, so earlier lines
   * win ties. Sorted as packed longs (priority to 1/1024, then index): boxing every index for a
   * comparator cost a tenth of the whole compression of a large file.
   */
  static int[] byPriority(List<Unit> units) {
    int n = units.size();
    long[] keys = new long[n];
    for (int i = 0; i < n; i++) {
      long quantized = Math.round(Math.max(0, units.get(i).priority()) * 1024);
      keys[i] = ((MAX_QUANTIZED - Math.min(quantized, MAX_QUANTIZED)) << 31) | i;
    }
    Arrays.sort(keys);
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = (int) (keys[i] & Integer.MAX_VALUE);
    }
    return order;
  }

  /** Priorities up to 2^31 / 1024 (about two million) fit beside a 31-bit index in a long. */
  private static final long MAX_QUANTIZED = (1L << 31) - 1;

  /**
   * Units not shown: dropped ones, and the lines a kept folded unit stands for but does not show.
   */
  private static int omitted(List<Unit> units, boolean[] kept) {
    int omitted = 0;
    for (int i = 0; i < kept.length; i++) {
      omitted += kept[i] ? units.get(i).count() - 1 : units.get(i).count();
    }
    return omitted;
  }

  /** A lower bound of the token count, in one pass over the characters: {@link TokenFloor}. */
  static int minimumTokens(String text) {
    return TokenFloor.of(text);
  }

  /** {@code text} cut to about {@code room} tokens, marked as cut, keeping its line ending. */
  private String cut(String text, int room) {
    String ending = trailingWhitespace(text);
    String head = tokens.truncate(text.substring(0, text.length() - ending.length()), room - 4);
    return head + " […]" + ending;
  }

  static String render(List<Unit> units, boolean[] kept, String[] shown, String label) {
    StringBuilder out = new StringBuilder();
    int dropped = 0;
    Unit lastDropped = null;
    for (int i = 0; i < units.size(); i++) {
      if (kept[i]) {
        if (dropped > 0) {
          appendNote(out, dropped, label, lastDropped);
          dropped = 0;
        }
        out.append(shown[i]);
      } else {
        dropped += units.get(i).count();
        lastDropped = units.get(i);
      }
    }
    if (dropped > 0) {
      appendNote(out, dropped, label, lastDropped);
    }
    return out.toString();
  }

  private static void appendNote(StringBuilder out, int dropped, String label, Unit lastDropped) {
    if (!out.isEmpty()
        && out.charAt(out.length() - 1) != '\n'
        && out.charAt(out.length() - 1) != ' ') {
      out.append(' ');
    }
    out.append(note(dropped, label));
    // The note stands where the dropped units stood, so it takes over their separator.
    String ending = trailingWhitespace(lastDropped.text());
    out.append(ending.isEmpty() ? "\n" : ending);
  }

  /** The omission note, e.g. {@code [… 12 lines omitted …]}; singular for one. */
  static String note(int count, String label) {
    String noun =
        count == 1 && label.endsWith("s") ? label.substring(0, label.length() - 1) : label;
    return "[… " + count + " " + noun + " omitted …]";
  }

  static String trailingWhitespace(String text) {
    return text.substring(Strip.end(text, 0, text.length()));
  }
}
