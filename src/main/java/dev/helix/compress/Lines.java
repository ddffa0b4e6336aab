package dev.helix.compress;

import dev.helix.text.Strip;
import java.util.ArrayList;
import java.util.List;

/**
 * Splitting text into lines that keep their own line ending, so joining them gives the text back.
 */
final class Lines {
  private Lines() {}

  static List<String> split(String text) {
    List<String> lines = new ArrayList<>();
    int start = 0;
    int length = text.length();
    for (int i = 0; i < length; i++) {
      if (text.charAt(i) == '\n') {
        lines.add(text.substring(start, i + 1));
        start = i + 1;
      }
    }
    if (start < length) {
      lines.add(text.substring(start));
    }
    return lines;
  }

  /**
   * The first {@code max} lines of {@code text}, as {@link #split} gives them, without splitting
   * the rest.
   */
  static List<String> head(String text, int max) {
    List<String> lines = new ArrayList<>(Math.min(max, 256));
    int start = 0;
    int length = text.length();
    while (start < length && lines.size() < max) {
      int end = text.indexOf('\n', start);
      if (end < 0) {
        lines.add(text.substring(start));
        break;
      }
      lines.add(text.substring(start, end + 1));
      start = end + 1;
    }
    return lines;
  }

  /** The line without its line ending. */
  static String strip(String line) {
    int end = line.length();
    while (end > 0 && (line.charAt(end - 1) == '\n' || line.charAt(end - 1) == '\r')) {
      end--;
    }
    return line.substring(0, end);
  }

  /** The line with digits replaced by 0 and trailing blanks removed: "same but for numbers". */
  static String shape(String line) {
    int end = Strip.end(line, 0, line.length());
    // Written into a char array, not appended a char at a time (a tenth of ranking a long log).
    char[] out = new char[end];
    int length = 0;
    boolean lastDigit = false;
    for (int i = 0; i < end; i++) {
      char c = line.charAt(i);
      boolean digit = c >= '0' && c <= '9';
      if (!digit) {
        out[length++] = c;
      } else if (!lastDigit) {
        out[length++] = '0';
      }
      lastDigit = digit;
    }
    return new String(out, 0, length);
  }

  static boolean isBlank(String line) {
    return line.isBlank();
  }
}
