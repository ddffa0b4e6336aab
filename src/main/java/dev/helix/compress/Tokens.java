package dev.helix.compress;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingResult;
import com.knuddels.jtokkit.api.EncodingType;
import dev.helix.text.Cut;
import org.jspecify.annotations.Nullable;

/** Token counts as OpenAI's {@code cl100k_base} counts them: every budget in helix uses this. */
public final class Tokens {
  // Loading the cl100k tables takes 0.3 s or more on a busy machine: a server must not pay it
  // before it answers /health, so they load on the first count. Double-checked: lock-free after the
  // first load.
  private volatile @Nullable Encoding encoding;

  /** A counter; the tables load on first use. Create one and share it: it is thread-safe. */
  public Tokens() {}

  private Encoding encoding() {
    Encoding e = encoding;
    if (e == null) {
      synchronized (this) {
        e = encoding;
        if (e == null) {
          e = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);
          encoding = e;
        }
      }
    }
    return e;
  }

  /** The number of tokens in {@code text}. */
  public int count(String text) {
    return text.isEmpty() ? 0 : encoding().countTokensOrdinary(text);
  }

  /**
   * Whether {@code text} counts at most {@code maxTokens} tokens. Costs in proportion to {@code
   * maxTokens}, not to the text: the way to ask "does it fit?" of a large text.
   */
  public boolean fits(String text, int maxTokens) {
    // A token is at least one UTF-8 byte, and a char at most three (a surrogate pair four for two):
    // a short enough text fits without being encoded at all.
    return maxTokens >= 0 && (long) text.length() * 3 <= maxTokens
        || countWithin(text, maxTokens) >= 0;
  }

  /**
   * Up to this many characters a token of the limit, counting the whole text is cheaper than
   * encoding with a limit: a limited encoding that stops early decodes its tokens again to find
   * where it stopped, which costs more than the few tokens past the limit (text averages about 4
   * characters a token).
   */
  private static final int FULL_COUNT_CHARS = 6;

  /**
   * The number of tokens in {@code text} when it is at most {@code maxTokens}, else -1. Costs in
   * proportion to {@code maxTokens} at most: "does it fit, and how big is it?" in one pass.
   */
  public int countWithin(String text, int maxTokens) {
    if (maxTokens < 0) {
      return -1;
    }
    if (text.isEmpty()) {
      return 0;
    }
    if (maxTokens == 0) {
      return -1;
    }
    if (text.length() <= (long) maxTokens * FULL_COUNT_CHARS) {
      int count = count(text);
      return count <= maxTokens ? count : -1;
    }
    EncodingResult result = encoding().encodeOrdinary(text, maxTokens);
    return result.isTruncated() ? -1 : result.getTokens().size();
  }

  /**
   * The longest prefix of {@code text} that counts at most {@code maxTokens} tokens, cut on a
   * character boundary (never half a surrogate pair), so it can be shown as it is.
   */
  public String truncate(String text, int maxTokens) {
    if (maxTokens <= 0 || text.isEmpty()) {
      return "";
    }
    EncodingResult result = encoding().encodeOrdinary(text, maxTokens);
    if (!result.isTruncated()) {
      return text;
    }
    int end =
        Cut.boundary(
            text,
            Math.max(0, Math.min(text.length(), result.getLastProcessedCharacterIndex() + 1)));
    String prefix = text.substring(0, end);
    // The prefix re-tokenized on its own may merge differently at its end; shorten until it fits.
    while (!prefix.isEmpty() && count(prefix) > maxTokens) {
      int cut = prefix.length() - 1;
      if (cut > 0 && Character.isLowSurrogate(prefix.charAt(cut))) {
        cut--;
      }
      prefix = prefix.substring(0, cut);
    }
    return prefix;
  }
}
