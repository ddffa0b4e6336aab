package dev.helix.compress;

import org.jspecify.annotations.Nullable;

/**
 * A lower bound of a text's cl100k token count, in one pass over its characters and fed as it
 * grows: what tells, without encoding, that a text cannot fit a budget.
 *
 * <p>cl100k's pre-tokenizer cuts text into pieces, each of at least one token: a run of letters
 * (with at most one character before it that is neither a letter, a digit nor a line break), up to
 * three digits, a run of punctuation (with at most one blank before it and line breaks after it),
 * or white space. So every run of letters and every run of digits holds a piece of its own, and so
 * does a run of punctuation unless it is a single character that the letters after it may take in.
 * Punctuation runs are counted only between ASCII characters and letters or digits, where the
 * pre-tokenizer sees them as this class does; elsewhere (next to a symbol beyond ASCII, which may
 * continue the run) they are left out, which only lowers the bound.
 */
final class TokenFloor {
  private static final int START = 0;
  private static final int LETTER = 1;
  private static final int DIGIT = 2;
  private static final int PUNCTUATION = 3;
  private static final int BLANK = 4;
  private static final int OTHER = 5;

  private int pieces;
  private int previous = START;

  /** The length of the punctuation run going on, and whether what came before it is known. */
  private int run;

  private boolean runCounts;

  /** The bound for a whole text. */
  static int of(String text) {
    TokenFloor floor = new TokenFloor();
    floor.add(text.toCharArray(), 0, text.length());
    return floor.finish();
  }

  /**
   * Copies of a growing text's characters, reused: a builder's charAt checks its coder each time.
   */
  private char @Nullable [] buffer;

  /** Takes in {@code text} from {@code from} to {@code to}, continuing what came before. */
  void add(StringBuilder text, int from, int to) {
    if (buffer == null || buffer.length < to - from) {
      buffer = new char[Math.max(to - from, buffer == null ? 256 : buffer.length * 2)];
    }
    text.getChars(from, to, buffer, 0);
    add(buffer, 0, to - from);
  }

  /** Takes in {@code chars} from {@code from} to {@code to}, continuing what came before. */
  void add(char[] chars, int from, int to) {
    int pieces = this.pieces;
    int previous = this.previous;
    int run = this.run;
    boolean runCounts = this.runCounts;
    for (int i = from; i < to; i++) {
      int type = type(chars[i]);
      if (type == PUNCTUATION) {
        if (previous == PUNCTUATION) {
          run++;
        } else {
          run = 1;
          runCounts = previous != OTHER;
        }
      } else {
        if (previous == PUNCTUATION
            && runCounts
            && (type == BLANK || type == DIGIT || type == LETTER && run >= 2)) {
          pieces++;
        }
        if ((type == LETTER || type == DIGIT) && type != previous) {
          pieces++;
        }
      }
      previous = type;
    }
    this.pieces = pieces;
    this.previous = previous;
    this.run = run;
    this.runCounts = runCounts;
  }

  /** The bound for what was taken in so far, not counting a punctuation run that may go on. */
  int soFar() {
    return pieces;
  }

  /** The bound for the text taken in, as a whole. */
  int finish() {
    return pieces + (previous == PUNCTUATION && runCounts ? 1 : 0);
  }

  private static int type(char c) {
    if (c < 128) {
      if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') {
        return LETTER;
      }
      if (c >= '0' && c <= '9') {
        return DIGIT;
      }
      if (c > ' ' && c < 127) {
        return PUNCTUATION;
      }
      return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B
          ? BLANK
          : OTHER;
    }
    return Character.isLetter(c) ? LETTER : Character.isDigit(c) ? DIGIT : OTHER;
  }
}
