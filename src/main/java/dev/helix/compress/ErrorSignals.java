package dev.helix.compress;

import dev.helix.text.Strip;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Whether a line says that something failed, read from its structure rather than its spelling: an
 * exception line, an error level written as a field, a failed test, {@code error:}. An error word
 * inside a name is never a signal: the packages {@code liberror-perl} and {@code libgpg-error-dev}
 * in a dpkg log outranked a real stack trace when it was (issue 20).
 */
final class ErrorSignals {
  /** How plainly a line says that something failed. */
  enum Strength {
    /**
     * No error word, or only inside names ({@code liberror-perl}) and zero counts ({@code Errors:
     * 0}).
     */
    NONE,
    /** An error word in passing: "the connection failed", "an unhandled exception". */
    MENTIONED,
    /**
     * Said by the line's structure: an error word in capitals ({@code ERROR}, {@code FAILED}),
     * before a colon ({@code error:}, {@code Failures: 1}, {@code TypeError: x}), as a level field
     * ({@code level=error}, {@code [error]}) or among the first fields ({@code npm error code
     * E404}, {@code Failed to start …}); {@code npm ERR!}, apt's {@code E: }, a Python traceback, a
     * segmentation fault.
     */
    STATED,
    /**
     * An exception line: it starts (after blanks, {@code Caused by: } or {@code Exception in thread
     * "…" }) with a class name ending in Exception or Error, followed by a colon or nothing ({@code
     * java.io.IOException: closed}, {@code ValueError: bad}). It names what broke, and the frames
     * after it say where.
     */
    THROWN
  }

  /**
   * Fields a level stands in: "npm error …", npm's debug log "12 error …", "a.ts(3,5): error TS2345
   * …".
   */
  private static final int LEVEL_FIELDS = 3;

  private static final String NPM_ERR = "npm err!";
  private static final String SEGFAULT = "segmentation fault";
  private static final String CORE_DUMPED = "core dumped";

  /** Phrases that say "failed" wherever they stand, lower-case. */
  private static final String[] PHRASES = {NPM_ERR, SEGFAULT, CORE_DUMPED};

  /**
   * The error words, lower-case; a word counts with its plural or past form ({@link #isErrorWord}).
   * {@link #wordAt} tells them apart by their first letters.
   */
  private static final String[] WORDS = {
    "error",
    "exception",
    "fatal",
    "fail",
    "panic",
    "traceback",
    "severe",
    "critical",
    "unhandled",
    "uncaught"
  };

  private ErrorSignals() {}

  static Strength of(String line) {
    if (line.startsWith("E: ")) {
      return Strength.STATED; // apt's error prefix
    }
    if (isExceptionLine(line)) {
      return Strength.THROWN;
    }
    Strength found = Strength.NONE;
    int n = line.length();
    int first = n == 0 ? 0 : line.charAt(0) | 0x20;
    for (int i = 0; i + 1 < n; i++) {
      int next = line.charAt(i + 1) | 0x20;
      // Most letter pairs start no error word: a table rules them out before any word is compared.
      if ((first | next) < 128 && HINT_PAIRS[first << 7 | next]) {
        Strength here = at(line, i);
        if (here == Strength.STATED) {
          return here;
        }
        if (here == Strength.MENTIONED) {
          found = here;
        }
      }
      first = next;
    }
    return found;
  }

  /**
   * Whether {@code line} holds an error word or phrase in any case, in or out of a name: a cheap
   * test, true whenever {@link #of} is not {@link Strength#NONE}, for units that are mostly not
   * errors (the sentences of a licence).
   */
  static boolean hasHint(String line) {
    int n = line.length();
    int first = n == 0 ? 0 : line.charAt(0) | 0x20;
    for (int i = 0; i + 1 < n; i++) {
      int next = line.charAt(i + 1) | 0x20;
      if ((first | next) < 128
          && HINT_PAIRS[first << 7 | next]
          && (phraseAt(line, i) || wordAt(line, i) != null)) {
        return true;
      }
      first = next;
    }
    return line.startsWith("E: ");
  }

  /**
   * The letter pairs the words and phrases start with, as {@code (first | 0x20) << 7 | (second |
   * 0x20)}.
   */
  private static final boolean[] HINT_PAIRS = hintPairs();

  private static boolean[] hintPairs() {
    boolean[] pairs = new boolean[128 * 128];
    for (String[] words : new String[][] {WORDS, PHRASES}) {
      for (String word : words) {
        pairs[word.charAt(0) << 7 | word.charAt(1)] = true;
      }
    }
    return pairs;
  }

  /** Whether one of {@link #PHRASES} starts at {@code i}, in any case. */
  private static boolean phraseAt(String line, int i) {
    // By first letter, as wordAt: comparing every phrase at every hinted position cost a third of
    // the hint scan of a licence.
    return switch (line.charAt(i) | 0x20) {
      case 'n' -> matches(line, i, NPM_ERR);
      case 's' -> matches(line, i, SEGFAULT);
      case 'c' -> matches(line, i, CORE_DUMPED);
      default -> false;
    };
  }

  /** The word of {@link #WORDS} that starts at {@code i}, in any case, or null. */
  private static @Nullable String wordAt(String line, int i) {
    String word =
        switch (line.charAt(i) | 0x20) {
          case 'e' -> (line.charAt(i + 1) | 0x20) == 'r' ? "error" : "exception";
          // "fail" itself is no error word (licences "fail to" often): failed, failure, or FAIL.
          case 'f' ->
              matches(line, i, "fatal")
                  ? "fatal"
                  : matches(line, i, "failed")
                          || matches(line, i, "failure")
                          || line.startsWith("FAIL", i)
                      ? "fail"
                      : null;
          case 'p' -> "panic";
          case 't' -> "traceback";
          case 's' -> "severe";
          case 'c' -> "critical";
          case 'u' ->
              (line.length() > i + 2 && (line.charAt(i + 2) | 0x20) == 'h')
                  ? "unhandled"
                  : "uncaught";
          default -> null;
        };
    return word != null && matches(line, i, word) ? word : null;
  }

  private static boolean matches(String line, int i, String lowerWord) {
    return line.regionMatches(true, i, lowerWord, 0, lowerWord.length());
  }

  /** What the error word or phrase at {@code i}, if one starts there, says. */
  private static Strength at(String line, int i) {
    if (phraseAt(line, i)) {
      return isWordStart(line, i) ? Strength.STATED : Strength.NONE;
    }
    String stem = wordAt(line, i);
    if (stem == null) {
      return Strength.NONE;
    }
    if (line.startsWith("Exception", i) || line.startsWith("Error", i)) {
      Strength exception = exceptionName(line, i, i + stem.length());
      if (exception != null) {
        return exception;
      }
    }
    if (!isWordStart(line, i)) {
      return Strength.NONE; // liberror-perl, libgpg-error-dev, maven-failsafe-plugin, non-fatal
    }
    int end = i + stem.length();
    while (end < line.length() && Character.isLetter(line.charAt(end))) {
      end++;
    }
    String word = line.substring(i, end);
    if (!isErrorWord(word) || !isWordEnd(line, end) || isZeroCount(line, i, end)) {
      return Strength.NONE;
    }
    if (stem.equals("traceback")) {
      return line.startsWith(" (most recent call last)", end)
          ? Strength.STATED
          : Strength.MENTIONED;
    }
    boolean stated =
        isCapitals(word)
            || isBeforeColon(line, end)
            || isLevelField(line, i, end)
            || isLeadingField(line, i, end, stem);
    return stated ? Strength.STATED : Strength.MENTIONED;
  }

  /** An error word or its plural or past form; "fail" itself only as FAIL (go test, jest). */
  private static boolean isErrorWord(String word) {
    return switch (word.toLowerCase(Locale.ROOT)) {
      case "error",
          "errors",
          "exception",
          "exceptions",
          "fatal",
          "failed",
          "failure",
          "failures",
          "panic",
          "panicked",
          "traceback",
          "severe",
          "critical",
          "unhandled",
          "uncaught" ->
          true;
      case "fail" -> word.equals("FAIL");
      default -> false;
    };
  }

  /** What may come before the class name of an exception line, after its indentation. */
  private static final String CAUSED_BY = "Caused by: ";

  private static final String IN_THREAD = "Exception in thread \"";

  /** {@link Strength#THROWN}: checked on the line's first characters, before any word is. */
  static boolean isExceptionLine(String line) {
    int n = line.length();
    int k = Strip.start(line, 0, n);
    if (line.startsWith(CAUSED_BY, k)) {
      k += CAUSED_BY.length();
    } else if (line.startsWith(IN_THREAD, k)) {
      int quote = line.indexOf('"', k + IN_THREAD.length());
      if (quote < 0) {
        return false;
      }
      k = Strip.start(line, quote + 1, n);
    }
    // A qualified name, its last segment starting in capitals: java.lang.IllegalStateException.
    int segment = k;
    int end = k;
    while (end < n && isQualifiedNameChar(line.charAt(end))) {
      if (line.charAt(end) == '.' || line.charAt(end) == '$') {
        segment = end + 1;
      }
      end++;
    }
    if (segment >= end
        || !Character.isUpperCase(line.charAt(segment))
        || !(line.startsWith("Exception", end - 9) && end - 9 >= segment
            || line.startsWith("Error", end - 5) && end - 5 >= segment)) {
      return false;
    }
    return end == n || line.charAt(end) == ':' || Strip.start(line, end, n) == n;
  }

  /**
   * The exception or error class whose name ends at {@code end} ({@code IndexNotFoundException},
   * {@code java.lang.AssertionError}, {@code TypeError}, {@code Error}) elsewhere than at the start
   * of an exception line: stated before a colon ({@code Uncaught TypeError: x}), mentioned
   * elsewhere ("could throw InterruptedException"); none for a file or a member named after one
   * ({@code FooException.java}); null when the word does not end a class name.
   */
  private static @Nullable Strength exceptionName(String line, int i, int end) {
    if (end < line.length()
        && (Character.isLetterOrDigit(line.charAt(end)) || line.charAt(end) == '_')) {
      return null; // ExceptionHandler, Errors, ErrorProne
    }
    int segment = i;
    while (segment > 0
        && (Character.isLetterOrDigit(line.charAt(segment - 1))
            || line.charAt(segment - 1) == '_')) {
      segment--;
    }
    if (!Character.isUpperCase(line.charAt(segment))) {
      return null; // liberror, parse_error: not a class name
    }
    if (end + 1 < line.length()
        && line.charAt(end) == '.'
        && Character.isLetterOrDigit(line.charAt(end + 1))) {
      return Strength.NONE;
    }
    int name = segment;
    while (name > 0 && isQualifiedNameChar(line.charAt(name - 1))) {
      name--;
    }
    if (name > 0 && isNameJoiner(line.charAt(name - 1))) {
      return Strength.NONE; // a path or a package: src/FooError, lib-Error
    }
    return end < line.length() && line.charAt(end) == ':' ? Strength.STATED : Strength.MENTIONED;
  }

  /**
   * Characters of a qualified class name before its last segment: {@code java.lang.}, {@code
   * Outer$}.
   */
  private static boolean isQualifiedNameChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c == '.';
  }

  /**
   * Characters that join words into a name: liberror-perl, libgpg-error-dev, src/error, log.error.
   */
  private static boolean isNameJoiner(char c) {
    return c == '-' || c == '_' || c == '.' || c == '/' || c == '\\' || c == '$' || c == '@'
        || c == '+';
  }

  /** Whether a word starting at {@code i} is not the inside or the end of a name. */
  private static boolean isWordStart(String line, int i) {
    if (i == 0) {
      return true;
    }
    char before = line.charAt(i - 1);
    return !Character.isLetterOrDigit(before) && !isNameJoiner(before);
  }

  /**
   * Whether a word ending at {@code end} is not the start of a name: nothing joins it to what
   * follows (error-prone, failed.log, error:amd64, fatal_error), though a sentence may go on after
   * a full stop or a colon.
   */
  private static boolean isWordEnd(String line, int end) {
    if (end >= line.length()) {
      return true;
    }
    char after = line.charAt(end);
    if (Character.isLetterOrDigit(after)
        || after == '-'
        || after == '_'
        || after == '$'
        || after == '@'
        || after == '+') {
      return false;
    }
    if (after == '.' || after == '/' || after == '\\' || after == ':') {
      return end + 1 >= line.length() || !Character.isLetterOrDigit(line.charAt(end + 1));
    }
    return true;
  }

  /**
   * "Errors: 0", "failures=0", "0 errors", "no errors", "without failures": a count that says none.
   */
  private static boolean isZeroCount(String line, int start, int end) {
    int k = skipBlanks(line, end);
    if (k < line.length() && (line.charAt(k) == ':' || line.charAt(k) == '=')) {
      k = skipBlanks(line, k + 1);
      if (k < line.length()
          && line.charAt(k) == '0'
          && (k + 1 == line.length() || !Character.isDigit(line.charAt(k + 1)))) {
        return true;
      }
    }
    int before = start;
    while (before > 0 && line.charAt(before - 1) == ' ') {
      before--;
    }
    if (before == start) {
      return false;
    }
    int wordStart = before;
    while (wordStart > 0 && Character.isLetterOrDigit(line.charAt(wordStart - 1))) {
      wordStart--;
    }
    String previous = line.substring(wordStart, before);
    return previous.equals("0")
        || previous.equalsIgnoreCase("no")
        || previous.equalsIgnoreCase("without");
  }

  private static int skipBlanks(String line, int from) {
    int k = from;
    while (k < line.length() && line.charAt(k) == ' ') {
      k++;
    }
    return k;
  }

  /** ERROR, FATAL, FAILED, FAIL: a word in capitals is a level or a verdict, not prose. */
  private static boolean isCapitals(String word) {
    for (int k = 0; k < word.length(); k++) {
      if (!Character.isUpperCase(word.charAt(k))) {
        return false;
      }
    }
    return true;
  }

  /** {@code error:}, {@code Failures: 1}, rustc's {@code error[E0425]:}. */
  private static boolean isBeforeColon(String line, int end) {
    int k = end;
    if (k < line.length() && line.charAt(k) == '[') {
      int close = line.indexOf(']', k);
      if (close > 0 && close - k <= 12) {
        k = close + 1;
      }
    }
    return k < line.length() && line.charAt(k) == ':';
  }

  /**
   * The value of a level field: {@code level=error}, {@code "level":"error"}, {@code [error]},
   * {@code <error>}.
   */
  private static boolean isLevelField(String line, int start, int end) {
    char before = start > 0 ? line.charAt(start - 1) : ' ';
    char after = end < line.length() ? line.charAt(end) : ' ';
    if (before == '[' && after == ']' || before == '<' && after == '>' || before == '=') {
      return true;
    }
    return before == '"'
        && start >= 2
        && (line.charAt(start - 2) == ':' || line.charAt(start - 2) == '=');
  }

  /**
   * "error", "fatal" or "failed" as a whole field among the first {@link #LEVEL_FIELDS} of the line
   * (fields are separated by blanks): where loggers without capitals put their level ({@code npm
   * error code E404}, npm's debug log {@code 12 error …}) and messages their verdict ({@code Failed
   * to start …}).
   */
  private static boolean isLeadingField(String line, int start, int end, String stem) {
    if (!stem.equals("error")
        && !stem.equals("fatal")
        && !(stem.equals("fail") && end - start == 6)) {
      return false; // error(s), fatal, failed
    }
    if (end < line.length() && !Chars.isSpace(line.charAt(end))) {
      return false;
    }
    int fields = 0;
    int k = Strip.start(line, 0, start);
    while (k < start) {
      fields++;
      while (k < start && !Chars.isSpace(line.charAt(k))) {
        k++;
      }
      if (k == start) {
        return false; // the end of a field, not a field of its own
      }
      k = Strip.start(line, k, start);
    }
    return fields < LEVEL_FIELDS;
  }
}
