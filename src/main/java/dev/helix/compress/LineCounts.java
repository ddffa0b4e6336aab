package dev.helix.compress;

import java.util.HashMap;
import java.util.Map;

/**
 * Exact token counts of texts that share most of their lines, each distinct line counted once: the
 * renderings of one JSON document at several reduction levels repeat the same item and key lines,
 * and a packed output repeats the lines the packer counted when it chose them. One instance serves
 * one compression (it remembers every line it counted); not thread-safe.
 *
 * <p>Why the sum of the lines' counts is the text's count: cl100k's pre-tokenizer cuts text into
 * pieces and encodes each piece on its own, and no piece runs from a line break into a line that
 * goes on, after blanks or tabs, with a visible character (a piece that holds a line break holds
 * only white space after it, or ends with it). Lines are cut only there; elsewhere (a line followed
 * by a blank line, or by one starting with other white space) they stay joined to the next.
 */
final class LineCounts {
  private final Tokens tokens;
  private final Map<String, Integer> known = new HashMap<>();

  LineCounts(Tokens tokens) {
    this.tokens = tokens;
  }

  /**
   * Takes {@code count} as the token count of {@code text}, which the caller has counted exactly: a
   * line of it found again is not encoded again.
   */
  void remember(String text, int count) {
    known.put(text, count);
  }

  /**
   * As {@link Tokens#countWithin}: the number of tokens in {@code text} when it is at most {@code
   * maxTokens}, else -1; it stops at the first line past the limit.
   */
  int countWithin(String text, int maxTokens) {
    if (maxTokens < 0) {
      return -1;
    }
    int n = text.length();
    int sum = 0;
    int start = 0;
    while (start < n) {
      int end = nextCut(text, start);
      String segment = text.substring(start, end);
      Integer count = known.get(segment);
      if (count == null) {
        count = tokens.count(segment);
        known.put(segment, count);
      }
      sum += count;
      if (sum > maxTokens) {
        return -1;
      }
      start = end;
    }
    return sum;
  }

  /**
   * The first place after {@code from} where the text may be cut (see the class comment), or its
   * end.
   */
  static int nextCut(String text, int from) {
    int n = text.length();
    int i = text.indexOf('\n', from);
    while (i >= 0) {
      int next = i + 1;
      int visible = next;
      while (visible < n && (text.charAt(visible) == ' ' || text.charAt(visible) == '\t')) {
        visible++;
      }
      if (visible < n && isVisible(text.charAt(visible))) {
        return next;
      }
      i = text.indexOf('\n', next);
    }
    return n;
  }

  /**
   * Neither white space as cl100k's pre-tokenizer reads it (ASCII blanks and line breaks, U+0085,
   * and the Unicode space separators) nor half of a character: printable ASCII, or a letter, digit
   * or symbol beyond it. Narrower than it could be; a line that starts otherwise only stays joined.
   */
  private static boolean isVisible(char c) {
    if (c < 128) {
      return c > ' ' && c < 127;
    }
    return c != '\u0085'
        && !Character.isWhitespace(c)
        && !Character.isSpaceChar(c)
        && !Character.isSurrogate(c)
        && Character.getType(c) != Character.FORMAT
        && Character.getType(c) != Character.CONTROL;
  }
}
