package dev.helix.compress;

/**
 * Character classes as the regular expressions they replace read them ({@code \w}, {@code \b},
 * {@code \s}: ASCII only), for the hand-written per-line checks.
 */
final class Chars {
  private Chars() {}

  /** A word character as {@code \w} and {@code \b} read it. */
  static boolean isWordChar(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_';
  }

  /** White space as {@code \s} reads it. */
  static boolean isSpace(char c) {
    return c <= ' ' && (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B);
  }

  /**
   * Where the run of {@link #isWordChar} characters from {@code from} ends, at {@code to} at most.
   */
  static int wordEnd(CharSequence text, int from, int to) {
    int i = from;
    while (i < to && isWordChar(text.charAt(i))) {
      i++;
    }
    return i;
  }

  /** Where the run of {@link #isSpace} characters from {@code from} ends. */
  static int skipSpaces(CharSequence text, int from) {
    int i = from;
    while (i < text.length() && isSpace(text.charAt(i))) {
      i++;
    }
    return i;
  }
}
