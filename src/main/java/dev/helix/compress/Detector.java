package dev.helix.compress;

import dev.helix.text.Strip;
import java.util.List;

/** Guesses the kind of a text from its first lines: JSON, a diff, a log, code, or else prose. */
final class Detector {
  /** Enough lines to see the shape of a text without reading all of a large one. */
  private static final int SAMPLE_LINES = 200;

  /** The share of sample lines that must look like log lines (or code lines) to call it so. */
  private static final double SHARE = 0.3;

  private final JsonCompressor json;

  Detector(JsonCompressor json) {
    this.json = json;
  }

  Kind detect(String text) {
    return looksLikeJson(text) && json.parse(text) != null ? Kind.JSON : detectNotJson(text);
  }

  /** Whether the first non-blank character opens a JSON object or array. */
  static boolean looksLikeJson(String text) {
    int first = Strip.start(text, 0, text.length());
    return first < text.length() && (text.charAt(first) == '{' || text.charAt(first) == '[');
  }

  /** The kind of a text already known not to be JSON. */
  Kind detectNotJson(String text) {
    List<String> lines = Lines.head(text, SAMPLE_LINES + 1);
    int sample = Math.min(lines.size(), SAMPLE_LINES);
    int nonBlank = 0;
    int log = 0;
    int code = 0;
    int diffMarkers = 0;
    for (int i = 0; i < sample; i++) {
      String line = Lines.strip(lines.get(i));
      if (line.isBlank()) {
        continue;
      }
      if (line.length() > 300) {
        line = line.substring(0, 300); // the start of a line says what it is
      }
      nonBlank++;
      if (line.startsWith("diff --git ")
          || line.startsWith("@@ ")
          || line.startsWith("+++ ")
          || line.startsWith("--- ") && i + 1 < sample && lines.get(i + 1).startsWith("+++ ")) {
        diffMarkers++;
      }
      if (isLogLine(line)) {
        log++;
      }
      if (isCodeLine(line)) {
        code++;
      }
    }
    if (diffMarkers >= 2) {
      return Kind.DIFF;
    }
    if (nonBlank == 0) {
      return Kind.PROSE;
    }
    if (log >= SHARE * nonBlank && log >= code) {
      return Kind.LOG;
    }
    if (code >= SHARE * nonBlank) {
      return Kind.CODE;
    }
    return looksLikeProse(lines, sample) ? Kind.PROSE : Kind.LOG;
  }

  private static boolean isLogLine(String line) {
    return startsLikeLog(line)
        || line.contains("INFO")
        || line.contains("WARN")
        || line.contains("ERROR")
        || line.contains("DEBUG")
        || Signals.isStackFrame(line);
  }

  /**
   * Ends in { } ; or : (before any trailing comment), or starts like a declaration or statement.
   */
  private static boolean isCodeLine(String line) {
    // The end of the code before a comment, found in place (no copies of the line).
    int end = line.indexOf("//");
    if (end < 0) {
      end = line.length();
    }
    int comment = line.indexOf(" #");
    if (comment >= 0 && comment + 2 <= end) {
      end = comment;
    }
    end = Strip.end(line, 0, end);
    if (end > 0 && "{};:".indexOf(line.charAt(end - 1)) >= 0) {
      return true;
    }
    return startsLikeCode(line);
  }

  /** Prose has long lines with sentence punctuation; line output (listings, tables) does not. */
  private static boolean looksLikeProse(List<String> lines, int sample) {
    int words = 0;
    int sentenceEnds = 0;
    int nonBlank = 0;
    for (int i = 0; i < sample; i++) {
      // The line as strip() gives it, without the copy: from its first to its last non-blank.
      String line = lines.get(i);
      int start = Strip.start(line, 0, line.length());
      int end = Strip.end(line, start, line.length());
      if (start == end) {
        continue;
      }
      nonBlank++;
      // Words: one more than the gaps between them.
      words++;
      boolean inGap = false;
      for (int k = start; k < end; k++) {
        char c = line.charAt(k);
        boolean space = Chars.isSpace(c);
        if (space && !inGap) {
          words++;
        }
        inGap = space;
        if ((c == '.' || c == '!' || c == '?') && (k + 1 == end || line.charAt(k + 1) == ' ')) {
          sentenceEnds++;
        }
      }
    }
    return nonBlank > 0 && (words / (double) nonBlank >= 6 || sentenceEnds * 2 >= nonBlank);
  }

  /**
   * Level words a log line may start with (after an optional '['), longest first where one starts
   * another.
   */
  private static final String[] LOG_LEVELS = {
    "INFO", "WARNING", "WARN", "ERROR", "DEBUG", "TRACE", "FATAL", "SEVERE", "NOTICE", "CRITICAL"
  };

  /** Words a code line may start with, followed by a word boundary. */
  private static final List<String> CODE_WORDS =
      List.of(
          "import",
          "package",
          "public",
          "private",
          "protected",
          "static",
          "final",
          "class",
          "interface",
          "def",
          "fn",
          "func",
          "function",
          "const",
          "var",
          "return",
          "using",
          "namespace",
          "elif",
          "except",
          "async",
          "raise",
          "yield");

  /**
   * {@link #CODE_WORDS} by length, so a line's first word is compared in place with a few of them.
   */
  private static final String[][] CODE_WORDS_BY_LENGTH = byLength(CODE_WORDS);

  private static String[][] byLength(List<String> words) {
    int longest = words.stream().mapToInt(String::length).max().orElse(0);
    String[][] byLength = new String[longest + 1][];
    for (int length = 0; length <= longest; length++) {
      int l = length;
      byLength[length] = words.stream().filter(w -> w.length() == l).toArray(String[]::new);
    }
    return byLength;
  }

  /** Whether {@code line} from {@code start} to {@code end} is one of the {@link #CODE_WORDS}. */
  private static boolean isCodeWord(String line, int start, int end) {
    int length = end - start;
    if (length >= CODE_WORDS_BY_LENGTH.length) {
      return false;
    }
    for (String word : CODE_WORDS_BY_LENGTH[length]) {
      if (line.startsWith(word, start)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the line starts like a log line: a level word ({@code [INFO] }, {@code ERROR:}), a
   * timestamp ({@code 2024-05-01 12:00}, {@code 12:00:01}, {@code May 1 12:00:01}), a glog prefix
   * ({@code E0501 }), a stack frame ({@code at x.y(}), {@code npm ERR}/{@code npm WARN}, or a
   * prompt ({@code > }, {@code $ }, {@code + }). Hand-written: the equivalent regular expression
   * was a fifth of compressing a short text.
   */
  static boolean startsLikeLog(String line) {
    int n = line.length();
    int p = Chars.skipSpaces(line, 0);
    if (p == n) {
      return false;
    }
    int q = line.charAt(p) == '[' ? p + 1 : p;
    for (String level : LOG_LEVELS) {
      if (line.startsWith(level, q)) {
        int r = q + level.length();
        if (r < n && line.charAt(r) == ']') {
          r++;
        }
        if (r < n && (Chars.isSpace(line.charAt(r)) || line.charAt(r) == ':')) {
          return true;
        }
      }
    }
    if (shape(line, q, "dddd-dd-dd?dd:dd") || shape(line, q, "dd:dd:dd")) {
      return true;
    }
    if (p + 3 <= n
        && Chars.isWordChar(line.charAt(p))
        && Chars.isWordChar(line.charAt(p + 1))
        && Chars.isWordChar(line.charAt(p + 2))
        && (shape(line, p + 3, " dd dd:dd:dd") || shape(line, p + 3, "  d dd:dd:dd"))) {
      return true;
    }
    char c = line.charAt(p);
    if ("IWEF".indexOf(c) >= 0 && shape(line, p + 1, "dddd ")) {
      return true;
    }
    if (line.startsWith("at", p)) {
      int s = p + 2;
      if (s < n && Chars.isSpace(line.charAt(s))) {
        s = Chars.skipSpaces(line, s);
        for (int k = s; k < n && !Chars.isSpace(line.charAt(k)); k++) {
          if (line.charAt(k) == '(' && k > s) {
            return true;
          }
        }
      }
    }
    if (line.startsWith("npm ERR", p) || line.startsWith("npm WARN", p)) {
      return true;
    }
    return p + 1 < n
        && (c == '>' && Chars.isSpace(line.charAt(p + 1))
            || (c == '$' || c == '+') && line.charAt(p + 1) == ' ');
  }

  /**
   * {@code template} at {@code at}: 'd' a digit 0-9, '?' a 'T' or a space, anything else itself.
   */
  private static boolean shape(String line, int at, String template) {
    if (at < 0 || at + template.length() > line.length()) {
      return false;
    }
    for (int k = 0; k < template.length(); k++) {
      char c = line.charAt(at + k);
      char t = template.charAt(k);
      boolean ok = t == 'd' ? c >= '0' && c <= '9' : t == '?' ? c == 'T' || c == ' ' : c == t;
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether the line starts like code: a keyword ({@code def}, {@code public}, {@code return}…),
   * {@code #include}, an annotation, a comment, an assignment ({@code a.b[0] += 1}), a call ({@code
   * f(x)}, {@code os.path.join(a, b) # note}) or a closing bracket. Hand-written, as {@link
   * #startsLikeLog}.
   */
  static boolean startsLikeCode(String line) {
    int n = line.length();
    int p = Chars.skipSpaces(line, 0);
    if (p == n) {
      return false;
    }
    int word = Chars.wordEnd(line, p, n);
    if (word > p && isCodeWord(line, p, word)) {
      return true;
    }
    char c = line.charAt(p);
    if (line.startsWith("#include", p)
        || c == '@' && Chars.wordEnd(line, p + 1, n) > p + 1
        || line.startsWith("//", p)
        || line.startsWith("/*", p)
        || c == '*') {
      return true;
    }
    // a.b[0] += value
    int run = p;
    while (run < n
        && (Chars.isWordChar(line.charAt(run)) || ".[]".indexOf(line.charAt(run)) >= 0)) {
      run++;
    }
    if (run > p) {
      int q = Chars.skipSpaces(line, run);
      if (q < n && "-+*/|&".indexOf(line.charAt(q)) >= 0) {
        q++;
      }
      if (q < n && line.charAt(q) == '=' && Chars.skipSpaces(line, q + 1) < n) {
        return true;
      }
    }
    // name.name(args)  # comment
    if (word > p) {
      int q = word;
      while (q + 1 < n && line.charAt(q) == '.' && Chars.wordEnd(line, q + 1, n) > q + 1) {
        q = Chars.wordEnd(line, q + 1, n);
      }
      if (q < n && line.charAt(q) == '(' && closesCall(line, q + 1)) {
        return true;
      }
    }
    // } ) ] then ; at most, then blanks
    if (c == '}' || c == ')' || c == ']') {
      int q = p + 1;
      if (q < n && line.charAt(q) == ';') {
        q++;
      }
      return Chars.skipSpaces(line, q) == n;
    }
    return false;
  }

  /** From {@code from}: some text, a ')', then blanks and at most a '#' comment to the end. */
  private static boolean closesCall(String line, int from) {
    int n = line.length();
    for (int k = from; k < n; k++) {
      char c = line.charAt(k);
      if (isLineBreak(c)) {
        return false;
      }
      if (c == ')') {
        int j = Chars.skipSpaces(line, k + 1);
        if (j == n || line.charAt(j) == '#' && noLineBreak(line, j)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean noLineBreak(String line, int from) {
    for (int k = from; k < line.length(); k++) {
      if (isLineBreak(line.charAt(k))) {
        return false;
      }
    }
    return true;
  }

  /** The characters a regular expression's '.' does not match. */
  private static boolean isLineBreak(char c) {
    return c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029';
  }
}
