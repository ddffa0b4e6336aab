package dev.helix.compress;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;

/** Token counts as OpenAI's {@code cl100k_base} counts them: every budget in helix uses this. */
public final class Tokens {
  private final Encoding encoding;

  /** Loads the cl100k_base tables (a few tens of ms; create one and share it, it is thread-safe). */
  public Tokens() {
    this.encoding = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);
  }

  /** The number of tokens in {@code text}. */
  public int count(String text) {
    return text.isEmpty() ? 0 : encoding.countTokensOrdinary(text);
  }
}
