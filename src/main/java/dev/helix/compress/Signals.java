package dev.helix.compress;

import dev.helix.text.Strip;
import java.util.regex.Pattern;

/**
 * What makes a line worth keeping, shared by the compressors: error lines ({@link ErrorSignals}),
 * stack-trace frames, warnings and summary lines, and the priority each one gets. Higher priority
 * is packed first.
 */
final class Signals {
  // Priorities. Only their order matters; the gaps leave room for per-kind tie-breaks.
  static final double QUERY = 10_000;

  /**
   * The top frames of a stack trace whose exception line matched the query: asked for, so above
   * other errors (issue 20: the queried exception was kept and none of its frames).
   */
  static final double QUERIED_TRACE = 9_600;

  /** A FATAL line: the most severe level a log line declares. */
  static final double FATAL = 9_200;

  /**
   * An exception or {@code Caused by:} line, then the first {@link #TOP_FRAMES} frames below it (or
   * below any error line), 10 apart: above lines that declare the ERROR level, which in a failing
   * Maven build include its advice ("Re-run Maven using the -X switch"), and which crowded out
   * every trace of a failing test log at 400 tokens.
   */
  static final double THROWN = 9_150;

  /** Lines that declare the ERROR level. */
  static final double ERROR_LEVEL = 9_100;

  static final double ERROR = 9_000;

  /** A line with some but not all of the query's words. */
  static final double PARTIAL_QUERY = 8_500;

  static final double STACK = 8_000;

  /** Frames of an error's trace ranked with its exception line (see {@link #THROWN}). */
  static final int TOP_FRAMES = 2;

  /** Units at or above this are "must keep": cut to fit rather than dropped when space is short. */
  static final double MUST_KEEP = 7_000;

  /**
   * A line that uses an error word in passing ("the connection failed"): above the structure and
   * the warnings, below the stack frames, which a crowd of such lines must not push out.
   */
  static final double MENTION = 6_500;

  static final double HEADER = 6_000;
  static final double WARNING = 5_000;
  static final double SUMMARY = 4_000;
  static final double STRUCTURE = 3_000;
  static final double EDGE = 2_000;
  static final double ORDINARY = 1_000;
  static final double DUPLICATE = 100;

  /** Errors in code and diffs: only shouted level words, so `throw new ...Exception` is not one. */
  private static final Pattern STRICT_ERROR =
      Pattern.compile(
          "\\b(ERROR|FATAL|SEVERE|PANIC|CRITICAL)\\b|Exception in thread|Traceback \\(most recent call last\\)");

  private static final Pattern STACK_FRAME =
      Pattern.compile(
          "^\\s+at\\s+\\S+.*[(:].*$" // Java, JavaScript
              + "|^\\s*Caused by:\\s|^\\s*Suppressed:\\s|^\\s+\\.\\.\\. \\d+ (more|common frames omitted)"
              + "|^\\s+File \".*\", line \\d+" // Python
              + "|^goroutine \\d+ \\[|^\\s+\\S+\\.go:\\d+" // Go
              + "|^\\s*at \\S+ \\(.*:\\d+:\\d+\\)$");
  private static final Pattern WARNING_WORD =
      Pattern.compile(
          "\\b(warn|warning|warnings|deprecated|deprecation)\\b"); // on the lower-cased line

  /** Phrases that end or sum up a run: test totals, build outcome, timings, exit status. */
  private static final String[] SUMMARY_PHRASES = {
    "tests run:",
    "build success",
    "build failure",
    "build failed",
    "total time",
    "results:",
    "results :",
    "summary",
    "finished at",
    "finished in",
    "took ",
    "exit code",
    "exit status"
  };

  /** Where a log line's level stands: after a timestamp, a thread or a logger name at most. */
  private static final int LEVEL_WITHIN = 48;

  /** The level a log line declares near its start, most severe first. */
  enum Level {
    FATAL,
    ERROR,
    WARNING,
    QUIET
  }

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
      Level level =
          first >= 'A' && first <= 'Z' && j - i >= 4 && j - i <= 8
              ? levelOf(line.substring(i, j))
              : null;
      if (level != null && (found == null || level.compareTo(found) < 0)) {
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
  private static final String[] WARNING_HINTS = {"warn", "deprecat"};

  private static final String[] COUNT_HINTS = {
    "passed", "failed", "skipped", "test", "error", "warning"
  };

  private static boolean hints(String lower, String[] hints) {
    for (String hint : hints) {
      if (lower.contains(hint)) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@link #THROWN} for an exception line, {@link #ERROR} for a line that states an error, {@link
   * #MENTION} for one that uses an error word in passing, 0 for the rest ({@link ErrorSignals}).
   */
  static double errorPriority(String line) {
    return switch (ErrorSignals.of(line)) {
      case THROWN -> THROWN;
      case STATED -> ERROR;
      case MENTIONED -> MENTION;
      case NONE -> 0;
    };
  }

  static boolean isStrictError(String line) {
    return hasStrictHint(line) && STRICT_ERROR.matcher(line).find();
  }

  /**
   * Whether {@code line} holds ERROR, FATAL, SEVERE, PANIC, CRITICAL, "Exception in" or
   * "Traceback", as written: in one pass instead of a search per word (every string value of a JSON
   * document is asked).
   */
  private static boolean hasStrictHint(String line) {
    for (int i = 0; i < line.length(); i++) {
      boolean found =
          switch (line.charAt(i)) {
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
    return !line.isEmpty()
        && (line.charAt(0) == ' '
            || line.charAt(0) == '\t'
            || line.startsWith("Caused by")
            || line.startsWith("Suppressed")
            || line.startsWith("goroutine"))
        && framePrefix(line)
        && STACK_FRAME.matcher(line).find();
  }

  /**
   * What every {@link #STACK_FRAME} alternative needs: after the indentation "at", "Caused by:",
   * "Suppressed:", "... " or "File \"", or "goroutine " first, or ".go:" anywhere. Indented prose
   * ("… at the time …") no longer reaches the regular expression.
   */
  private static boolean framePrefix(String line) {
    int p = Strip.start(line, 0, line.length());
    return line.startsWith("at", p)
        || line.startsWith("Caused by:", p)
        || line.startsWith("Suppressed:", p)
        || line.startsWith("... ", p)
        || line.startsWith("File \"", p)
        || line.startsWith("goroutine ")
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
