package dev.helix.text;

/** Cuts strings by length without splitting a surrogate pair: half an emoji is not text. */
public final class Cut {
  private Cut() {}

  /**
   * {@code end}, moved back by one when it would fall between the two halves of a surrogate pair.
   */
  public static int boundary(CharSequence text, int end) {
    return end > 0 && end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))
        ? end - 1
        : end;
  }

  /**
   * The longest prefix of {@code text} with at most {@code maxChars} chars that ends on a character
   * boundary.
   */
  public static String head(String text, int maxChars) {
    if (text.length() <= maxChars) {
      return text;
    }
    return text.substring(0, boundary(text, Math.max(0, maxChars)));
  }
}
