package dev.helix.compress;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Objects;

/**
 * What came out of a compression; in JSON {@code {text, tokens, kind, omitted, via}}, the answer of
 * {@code POST /compress} and {@code helix compress --json}.
 *
 * @param text the compressed text, notes of what was omitted included
 * @param tokens its size in cl100k_base tokens, never more than the request's target
 * @param kind the kind it was compressed as (never {@link Kind#AUTO})
 * @param omitted how many units of the input were left out, as the omission notes in the text count
 *     them: lines (logs, diffs, code), sentences (prose), items and keys (JSON); for Headroom,
 *     which does not say, the number of lines that are gone
 * @param via who compressed it
 */
public record CompressionResult(String text, int tokens, Kind kind, int omitted, Via via) {
  /** Who compressed the text. */
  public enum Via {
    LOCAL,
    HEADROOM;

    /** The name used in JSON, e.g. {@code "headroom"}. */
    @JsonValue
    public String value() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public CompressionResult {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(via, "via");
    if (kind == Kind.AUTO) {
      throw new IllegalArgumentException("kind: a result names the detected kind, not auto");
    }
    if (tokens < 0 || omitted < 0) {
      throw new IllegalArgumentException(
          "tokens and omitted must not be negative, were " + tokens + " and " + omitted);
    }
  }
}
