package dev.helix.compress;

import dev.helix.text.Strip;
import java.util.regex.Pattern;

/**
 * What makes a line worth keeping, shared by the compressors: error lines, stack-trace frames,
 * warnings and summary lines, and the priority each one gets. Higher priority is packed first.
 */
final class Signals {
  // Priorities. Only their order matters; the gaps leave room for per-kind tie-breaks.
  static final double QUERY = 10_000;
  static final double ERROR = 9_000;
  /** A line with some but not all of the query's words. */
  static final double PARTIAL_QUERY = 8_500;
  static final double STACK = 8_000;
  /** Units at or above this are "must keep": cut to fit rather than dropped when space is short. */
  static final double MUST_KEEP = 7_000;
  static final double HEADER = 6_000;
  static final double WARNING = 5_000;
  static final double SUMMARY = 4_000;
  static final double STRUCTURE = 3_000;
  static final double EDGE = 2_000;
  static final double ORDINARY = 1_000;
  static final double DUPLICATE = 100;

  /**
   * Log-style error words, matched on the lower-cased line (a case-insensitive pattern is several
   * times slower); "Errors: 0" style counts are removed before matching.
   */
  private static final Pattern ERROR_WORD = Pattern.compile(
      "\\b(errors?|fatal|failed|failures?|exception|panic|traceback|severe|critical|"
          + "segmentation fault|core dumped|assertion ?error|unhandled|uncaught)\\b|npm err!|\\be\\d{4}\\b"
          // Any word ending in exception or error (IOException, parse_error): matched from its end,
          // since "\\b[a-z]\\w*(…)" backtracked through every word of every line.
          + "|(exception|error)\\b");
  private static final Pattern ZERO_COUNTS = Pattern.compile(
      "\\b(errors?|failures?|failed|skipped|exceptions?)\\s*[:=]\\s*0\\b"
          + "|\\b0\\s+(errors?|failures?|failed|exceptions?)\\b"
          + "|\\b(no|without)\\s+(errors?|failures?)\\b|-?fail-?(fast|never|at-end)|failsafe|\\btestfailure\\w*");
  /** Errors in code and diffs: only shouted level words, so `throw new ...Exception` is not one. */
  private static final Pattern STRICT_ERROR = Pattern.compile(
      "\\b(ERROR|FATAL|SEVERE|PANIC|CRITICAL)\\b|Exception in thread|Traceback \\(most recent call last\\)");
  private static final Pattern STACK_FRAME = Pattern.compile(
      "^\\s+at\\s+\\S+.*[(:].*$" // Java, JavaScript
          + "|^\\s*Caused by:\\s|^\\s*Suppressed:\\s|^\\s+\\.\\.\\. \\d+ (more|common frames omitted)"
          + "|^\\s+File \".*\", line \\d+" // Python
          + "|^goroutine \\d+ \\[|^\\s+\\S+\\.go:\\d+" // Go
          + "|^\\s*at \\S+ \\(.*:\\d+:\\d+\\)$");
  private static final Pattern WARNING_WORD =
      Pattern.compile("\\b(warn|warning|warnings|deprecated|deprecation)\\b"); // on the lower-cased line
  /** Phrases that end or sum up a run: test totals, build outcome, timings, exit status. */
  private static final String[] SUMMARY_PHRASES = {"tests run:", "build success", "build failure",
      "build failed", "total time", "results:", "results :", "summary", "finished at", "finished in",
      "took ", "exit code", "exit status"};

  /** Where a log line's level stands: after a timestamp, a thread or a logger name at most. */
  private static final int LEVEL_WITHIN = 48;

  /** The level a log line declares near its start, most severe first. */
  enum Level { FATAL, ERROR, WARNING, QUIET }

  private Signals() {}

  /**
   * The most severe level word in the first characters of {@code line}, or null when it declares
   * none: a line that says {@code [WARNING]} is a warning even when it names an exception, and
   * {@code FATAL} outranks {@code ERROR}.
   */
  static @org.jspecify.annotations.Nullable Level declaredLevel(String line) {
    // Word by word: what \b(FATAL|…|TRACE)\b found in a region of LEVEL_WITHIN characters (a word
    // cut there counts as cut), without the regular expression that was half of ranking a log line.
    int end = Math.min(line.length(), LEVEL_WITHIN);
    Level found = null;
    int i = 0;
    while (i < end) {
      if (!Chars.isWordChar(line.charAt(i))) {
        i++;
        continue;
      }
      int j = Chars.wordEnd(line, i + 1, end);
      char first = line.charAt(i);
      Level level = first >= 'A' && first <= 'Z' && j - i >= 4 && j - i <= 8 ? levelOf(line.substring(i, j)) : null;
      if (level != null && (found == null || level.ordinal() < found.ordinal())) {
        found = level;
      }
      i = j;
    }
    return found;
  }

  private static @org.jspecify.annotations.Nullable Level levelOf(String word) {
    return switch (word) {
      case "FATAL", "CRITICAL", "PANIC", "SEVERE" -> Level.FATAL;
      case "ERROR" -> Level.ERROR;
      case "WARNING", "WARN" -> Level.WARNING;
      case "NOTICE", "INFO", "DEBUG", "TRACE" -> Level.QUIET;
      default -> null;
    };
  }

  /** Cheap substring checks that rule out most lines before any regular expression runs. */
  // The error hints ("err" and "fail" were too wide for prose: "interrupt", "referred" and "fail
  // to" sent most sentences of a licence to the expression) are in hasErrorHint.
  private static final String[] WARNING_HINTS = {"warn", "deprecat"};
  private static final String[] COUNT_HINTS = {"passed", "failed", "skipped", "test", "error", "warning"};

  private static boolean hints(String lower, String[] hints) {
    for (String hint : hints) {
      if (lower.contains(hint)) {
        return true;
      }
    }
    return false;
  }

  static boolean isError(String line) {
    // Most lines hold no hint: ruled out in place, before a lower-cased copy is made.
    return hasErrorHint(line) && isHintedError(line.toLowerCase(java.util.Locale.ROOT));
  }

  /**
   * Whether {@code line} holds an error hint in any case: error, npm err!, fatal, failed, failure,
   * exception, panic, traceback, severe, critical, segmentation, core dumped, unhandled, uncaught,
   * or an e and a digit (each alternative of {@link #ERROR_WORD} holds one). In one pass without a
   * lower-cased copy: each position is tried only against the hints that start with its letter.
   */
  static boolean hasErrorHint(String line) {
    int n = line.length();
    if (n < 2) {
      return false;
    }
    // Most letter pairs start no hint: a table of the pairs that may (both letters | 0x20) rules
    // them out before the hints are compared; the scan cost a fifth of compressing a licence.
    int first = line.charAt(0) | 0x20;
    for (int i = 0; i + 1 < n; i++) {
      int next = line.charAt(i + 1) | 0x20;
      if ((first | next) < 128 && HINT_PAIRS[first << 7 | next] && hintAt(line, i)) {
        return true;
      }
      first = next;
    }
    return false;
  }

  /** The pairs {@link #hintAt} may find a hint at, as {@code (first | 0x20) << 7 | (second | 0x20)}. */
  private static final boolean[] HINT_PAIRS = hintPairs();

  private static boolean[] hintPairs() {
    boolean[] pairs = new boolean[128 * 128];
    for (String pair : new String[] {"er", "ex", "fa", "np", "pa", "tr", "se", "cr", "co", "un"}) {
      pairs[pair.charAt(0) << 7 | pair.charAt(1)] = true;
    }
    for (char digit = '0'; digit <= '9'; digit++) {
      pairs['e' << 7 | digit] = true;
    }
    return pairs;
  }

  /** Whether one of the {@link #hasErrorHint} hints starts at {@code i}, in any case. */
  private static boolean hintAt(String line, int i) {
    // Only 'E' and 'e' (and so on) give these after | 0x20: hints start with ASCII letters, and
    // their second letters are ASCII ones no other character lower-cases to, so the first two
    // are compared here before the rest is.
    char second = line.charAt(i + 1);
    int next = second | 0x20;
    return switch (line.charAt(i) | 0x20) {
        case 'e' -> next == 'r' && at(line, i, "error") || next == 'x' && at(line, i, "exception")
            || second >= '0' && second <= '9';
        case 'f' -> next == 'a' && (at(line, i, "fatal") || at(line, i, "failed") || at(line, i, "failure"));
        case 'n' -> next == 'p' && at(line, i, "npm err!");
        case 'p' -> next == 'a' && at(line, i, "panic");
        case 't' -> next == 'r' && at(line, i, "traceback");
        case 's' -> next == 'e' && (at(line, i, "severe") || at(line, i, "segmentation"));
        case 'c' -> next == 'r' && at(line, i, "critical") || next == 'o' && at(line, i, "core dumped");
        case 'u' -> next == 'n' && (at(line, i, "unhandled") || at(line, i, "uncaught"));
        default -> false;
      };
  }

  /** {@code lowerWord} at {@code i} in any case; its first letter is already known to match. */
  private static boolean at(String line, int i, String lowerWord) {
    int m = lowerWord.length();
    if (i + m > line.length()) {
      return false;
    }
    for (int k = 1; k < m; k++) {
      char c = line.charAt(i + k);
      char w = lowerWord.charAt(k);
      if ((c | 0x20) != w && (c < 128 || Character.toLowerCase(c) != w)) {
        return false;
      }
    }
    return true;
  }

  /** {@code lower} is {@code line} lower-cased, computed once by the caller for all checks. */
  static boolean isError(String line, String lower) {
    // One pass over the line instead of a search per hint in the lower-cased copy: it finds every
    // hint that search finds (and a few more beside letters that lower-case to two characters,
    // which the expressions below then reject as before, since each of their words holds a hint).
    return hasErrorHint(line) && isHintedError(lower);
  }

  /** {@link #isError} of a line known to hold an error hint, lower-cased. */
  private static boolean isHintedError(String lower) {
    if (lower.length() > 2000) {
      lower = lower.substring(0, 2000);
    }
    if (!ERROR_WORD.matcher(lower).find()) {
      return false;
    }
    return ERROR_WORD.matcher(ZERO_COUNTS.matcher(lower).replaceAll(" ")).find();
  }

  static boolean isStrictError(String line) {
    return hasStrictHint(line) && STRICT_ERROR.matcher(line).find();
  }

  /**
   * Whether {@code line} holds ERROR, FATAL, SEVERE, PANIC, CRITICAL, "Exception in" or
   * "Traceback", as written: in one pass instead of a search per word (every string value of a
   * JSON document is asked).
   */
  private static boolean hasStrictHint(String line) {
    for (int i = 0; i < line.length(); i++) {
      boolean found = switch (line.charAt(i)) {
        case 'E' -> line.startsWith("ERROR", i) || line.startsWith("Exception in", i);
        case 'F' -> line.startsWith("FATAL", i);
        case 'S' -> line.startsWith("SEVERE", i);
        case 'P' -> line.startsWith("PANIC", i);
        case 'C' -> line.startsWith("CRITICAL", i);
        case 'T' -> line.startsWith("Traceback", i);
        default -> false;
      };
      if (found) {
        return true;
      }
    }
    return false;
  }

  static boolean isStackFrame(String line) {
    return !line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t'
        || line.startsWith("Caused by") || line.startsWith("Suppressed") || line.startsWith("goroutine"))
        && framePrefix(line) && STACK_FRAME.matcher(line).find();
  }

  /**
   * What every {@link #STACK_FRAME} alternative needs: after the indentation "at", "Caused by:",
   * "Suppressed:", "... " or "File \"", or "goroutine " first, or ".go:" anywhere. Indented prose
   * ("… at the time …") no longer reaches the regular expression.
   */
  private static boolean framePrefix(String line) {
    int p = Strip.start(line, 0, line.length());
    return line.startsWith("at", p) || line.startsWith("Caused by:", p) || line.startsWith("Suppressed:", p)
        || line.startsWith("... ", p) || line.startsWith("File \"", p) || line.startsWith("goroutine ")
        || line.contains(".go:");
  }

  static boolean isWarning(String line, String lower) {
    return hints(lower, WARNING_HINTS) && WARNING_WORD.matcher(lower).find();
  }

  static boolean isSummary(String line, String lower) {
    if (hints(lower, SUMMARY_PHRASES)) {
      return true;
    }
    String trimmed = lower.strip();
    if (trimmed.length() > 4 && trimmed.startsWith("==") && trimmed.endsWith("==")) {
      return true; // pytest-style "===== 3 passed in 0.2s ====="
    }
    return hasCount(lower);
  }

  /** "12 passed", "3 warnings", "1 test": a number, a space, then one of the count words. */
  private static boolean hasCount(String lower) {
    for (String word : COUNT_HINTS) {
      for (int at = lower.indexOf(word); at >= 0; at = lower.indexOf(word, at + 1)) {
        if (at >= 2 && lower.charAt(at - 1) == ' ' && Character.isDigit(lower.charAt(at - 2))) {
          return true;
        }
      }
    }
    return false;
  }
}
