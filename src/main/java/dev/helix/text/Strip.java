package dev.helix.text;

/**
 * Where a region of text starts and ends once white space is stripped, as {@link String#strip}
 * reads it ({@link Character#isWhitespace}), without the copy strip would make.
 */
public final class Strip {
  private Strip() {}

  /**
   * Where {@code text} from {@code from} starts once leading white space is skipped; {@code to} at
   * most.
   */
  public static int start(CharSequence text, int from, int to) {
    int i = from;
    while (i < to && Character.isWhitespace(text.charAt(i))) {
      i++;
    }
    return i;
  }

  /**
   * Where {@code text} up to {@code to} ends once trailing white space is dropped; {@code from} at
   * least.
   */
  public static int end(CharSequence text, int from, int to) {
    int end = to;
    while (end > from && Character.isWhitespace(text.charAt(end - 1))) {
      end--;
    }
    return end;
  }
}
