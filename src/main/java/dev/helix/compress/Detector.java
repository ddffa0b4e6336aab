package dev.helix.compress;

import java.util.List;
import java.util.regex.Pattern;

/** Guesses the kind of a text from its first lines: JSON, a diff, a log, code, or else prose. */
final class Detector {
  /** Enough lines to see the shape of a text without reading all of a large one. */
  private static final int SAMPLE_LINES = 200;
  /** The share of sample lines that must look like log lines (or code lines) to call it so. */
  private static final double SHARE = 0.3;

  // Both patterns are matched with lookingAt(): anchored at the start of the line.
  private static final Pattern LOG_START = Pattern.compile(
      "\\s*(\\[?(INFO|WARN|WARNING|ERROR|DEBUG|TRACE|FATAL|SEVERE|NOTICE|CRITICAL)\\]?[\\s:]"
          + "|\\[?\\d{4}-\\d\\d-\\d\\d[T ]\\d\\d:\\d\\d|\\[?\\d\\d:\\d\\d:\\d\\d"
          + "|\\w{3} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d|[IWEF]\\d{4} |at\\s+\\S+\\(|npm (ERR|WARN)|>\\s|\\$ |\\+ )");
  private static final Pattern CODE_START = Pattern.compile(
      "\\s*((import|package|public|private|protected|static|final|class|interface|def|fn|func|function"
          + "|const|var|return|using|namespace|elif|except|async|raise|yield)\\b|#include|@\\w+|//|/\\*|\\*"
          + "|[\\w.\\[\\]]+\\s*[-+*/|&]?=\\s*\\S|\\w+(\\.\\w+)*\\(.*\\)\\s*(#.*)?$|[})\\]];?\\s*$)");

  private final JsonCompressor json;

  Detector(JsonCompressor json) {
    this.json = json;
  }

  Kind detect(String text) {
    return looksLikeJson(text) && json.parse(text) != null ? Kind.JSON : detectNotJson(text);
  }

  /** Whether the first non-blank character opens a JSON object or array. */
  static boolean looksLikeJson(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!Character.isWhitespace(c)) {
        return c == '{' || c == '[';
      }
    }
    return false;
  }

  /** The kind of a text already known not to be JSON. */
  Kind detectNotJson(String text) {
    List<String> lines = Lines.split(text.length() > 200_000 ? text.substring(0, 200_000) : text);
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
      if (line.startsWith("diff --git ") || line.startsWith("@@ ") || line.startsWith("+++ ")
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
    return LOG_START.matcher(line).lookingAt() || line.contains("INFO") || line.contains("WARN")
        || line.contains("ERROR") || line.contains("DEBUG") || Signals.isStackFrame(line);
  }

  /** Ends in { } ; or : (before any trailing comment), or starts like a declaration or statement. */
  private static boolean isCodeLine(String line) {
    String code = line;
    int comment = code.indexOf("//");
    if (comment >= 0) {
      code = code.substring(0, comment);
    }
    comment = code.indexOf(" #");
    if (comment >= 0) {
      code = code.substring(0, comment);
    }
    code = code.stripTrailing();
    if (!code.isEmpty() && "{};:".indexOf(code.charAt(code.length() - 1)) >= 0) {
      return true;
    }
    return CODE_START.matcher(line).lookingAt();
  }

  /** Prose has long lines with sentence punctuation; line output (listings, tables) does not. */
  private static boolean looksLikeProse(List<String> lines, int sample) {
    int words = 0;
    int sentenceEnds = 0;
    int nonBlank = 0;
    for (int i = 0; i < sample; i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty()) {
        continue;
      }
      nonBlank++;
      words += line.split("\\s+").length;
      for (int k = 0; k < line.length(); k++) {
        char c = line.charAt(k);
        if ((c == '.' || c == '!' || c == '?') && (k + 1 == line.length() || line.charAt(k + 1) == ' ')) {
          sentenceEnds++;
        }
      }
    }
    return nonBlank > 0 && (words / (double) nonBlank >= 6 || sentenceEnds * 2 >= nonBlank);
  }
}
