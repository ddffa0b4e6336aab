package dev.helix.compress;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Unified diffs and {@code git log -p}: commit and file headers, hunk headers and changed lines
 * first, then the context lines next to a change; context further away goes first.
 */
final class DiffCompressor implements Compressor {
  private static final Pattern FILE_HEADER =
      Pattern.compile(
          "^(diff --git |diff -|index [0-9a-f]+\\.\\.|--- |\\+\\+\\+ |new file mode|deleted file mode|"
              + "old mode|new mode|rename (from|to) |copy (from|to) |similarity index|dissimilarity index|Binary files )");
  private static final Pattern COMMIT = Pattern.compile("^commit [0-9a-f]{7,40}\\b");

  private final Packer packer;

  DiffCompressor(Packer packer) {
    this.packer = packer;
  }

  @Override
  public Packed compress(String text, int budget, Query query) {
    return packer.pack(units(Lines.split(text), query), budget, "lines");
  }

  List<Unit> units(List<String> lines, Query query) {
    int n = lines.size();
    char[] type =
        new char[n]; // H header, @ hunk, + - change, ' ' context, C commit, M message, O other
    boolean inHunk = false;
    for (int i = 0; i < n; i++) {
      String line = Lines.strip(lines.get(i));
      if (COMMIT.matcher(line).find()) {
        type[i] = 'C';
        inHunk = false;
      } else if (!inHunk && FILE_HEADER.matcher(line).find()
          || line.startsWith("diff --git ")
          || line.startsWith("--- ") && i + 1 < n && lines.get(i + 1).startsWith("+++ ")) {
        type[i] = 'H';
        inHunk = false;
      } else if (line.startsWith("@@")) {
        type[i] = '@';
        inHunk = true;
      } else if (inHunk && (line.startsWith("+") || line.startsWith("-"))) {
        type[i] = line.charAt(0);
      } else if (inHunk && (line.startsWith(" ") || line.isEmpty() || line.startsWith("\\"))) {
        type[i] = ' ';
      } else if (line.startsWith("    ")
          || line.startsWith("Author:")
          || line.startsWith("Date:")
          || line.startsWith("Merge:")) {
        type[i] = 'M';
        inHunk = false;
      } else {
        type[i] = 'O';
        inHunk = false;
      }
    }
    int[] distance = distanceToChange(type);
    List<Unit> units = new ArrayList<>(n);
    int changeIndex = 0;
    boolean firstMessageLine = false;
    for (int i = 0; i < n; i++) {
      String line = Lines.strip(lines.get(i));
      if (type[i] == 'C') {
        firstMessageLine = true;
      }
      double priority =
          switch (type[i]) {
            case 'C' -> Signals.HEADER + 2;
            case 'H' ->
                Signals.HEADER + (line.startsWith("diff ") || line.startsWith("+++ ") ? 1 : 0);
            case '@' -> Signals.HEADER;
            case '+', '-' -> Signals.WARNING - Math.min(changeIndex++, 900) * 0.5;
            case ' ' ->
                distance[i] <= 1 ? Signals.SUMMARY : Signals.ORDINARY - Math.min(distance[i], 900);
            case 'M' -> {
              boolean subject = firstMessageLine && line.startsWith("    ") && !line.isBlank();
              if (subject) {
                firstMessageLine = false;
              }
              yield subject
                  ? Signals.HEADER + 1
                  : line.startsWith("Author:") ? Signals.STRUCTURE : Signals.EDGE;
            }
            default -> Signals.ORDINARY;
          };
      if (type[i] == '@' || type[i] == 'H') {
        changeIndex = 0;
      }
      int match = query.score(line);
      if (match > 0) {
        priority = query.priority(match);
      } else if (Signals.isStrictError(line)) {
        priority = Signals.ERROR;
      }
      units.add(new Unit(lines.get(i), priority));
    }
    return units;
  }

  /** For each context line, how many lines away the nearest changed line of its hunk is. */
  private static int[] distanceToChange(char[] type) {
    int n = type.length;
    int[] distance = new int[n];
    int last = -1_000_000;
    for (int i = 0; i < n; i++) {
      if (type[i] == '+' || type[i] == '-') {
        last = i;
      } else if (type[i] != ' ') {
        last = -1_000_000;
      }
      distance[i] = i - last;
    }
    last = 1_000_000;
    for (int i = n - 1; i >= 0; i--) {
      if (type[i] == '+' || type[i] == '-') {
        last = i;
      } else if (type[i] != ' ') {
        last = 1_000_000;
      }
      distance[i] = Math.min(distance[i], last - i);
    }
    return distance;
  }
}
