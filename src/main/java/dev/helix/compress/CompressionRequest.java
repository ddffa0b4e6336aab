package dev.helix.compress;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One compression job: the body of {@code POST /compress} and the options of {@code helix
 * compress}.
 *
 * @param text what to compress
 * @param target the token budget; null means the configured {@code [budget] context_tokens}
 * @param kind what the text is; {@link Kind#AUTO} detects it
 * @param query what the reader is looking for: matching lines are kept first; null for none
 */
public record CompressionRequest(String text, @Nullable Integer target, Kind kind, @Nullable String query) {
  public CompressionRequest {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(kind, "kind");
    if (target != null && target < 1) {
      throw new IllegalArgumentException(
          "target: must be a whole number of tokens of at least 1, got " + target);
    }
  }

  /** A request with the default budget, detection and no query. */
  public static CompressionRequest of(String text) {
    return new CompressionRequest(text, null, Kind.AUTO, null);
  }

  /**
   * Reads a {@code POST /compress} body {@code {text, target?, kind?, query?}} as parsed by
   * Jackson. Unknown fields are ignored.
   *
   * @throws IllegalArgumentException naming the bad field, the bad value and what is allowed
   */
  public static CompressionRequest fromJson(Map<String, Object> body) {
    Object text = body.get("text");
    if (!(text instanceof String string)) {
      throw new IllegalArgumentException(text == null
          ? "text: required; send the text to compress as a JSON string"
          : "text: must be a JSON string, got " + describe(text));
    }
    return new CompressionRequest(string, target(body.get("target")), kind(body.get("kind")),
        query(body.get("query")));
  }

  private static @Nullable Integer target(@Nullable Object value) {
    if (value == null) {
      return null;
    }
    BigDecimal number = switch (value) {
      case Integer i -> BigDecimal.valueOf(i);
      case Long l -> BigDecimal.valueOf(l);
      case Short s -> BigDecimal.valueOf(s);
      case BigInteger b -> new BigDecimal(b);
      case BigDecimal d -> d;
      case Double d when Double.isFinite(d) -> BigDecimal.valueOf(d);
      case Float f when Float.isFinite(f) -> BigDecimal.valueOf(f);
      default -> null;
    };
    if (number == null || number.stripTrailingZeros().scale() > 0
        || number.compareTo(BigDecimal.ONE) < 0
        || number.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) {
      throw new IllegalArgumentException("target: must be a whole number of tokens from 1 to "
          + Integer.MAX_VALUE + ", got " + describe(value));
    }
    return number.intValueExact();
  }

  private static Kind kind(@Nullable Object value) {
    if (value == null) {
      return Kind.AUTO;
    }
    if (!(value instanceof String string)) {
      throw new IllegalArgumentException(
          "kind: must be a string, one of: " + Kind.allowedValues() + "; got " + describe(value));
    }
    return Kind.parse(string);
  }

  private static @Nullable String query(@Nullable Object value) {
    if (value == null || value instanceof String) {
      return (String) value;
    }
    throw new IllegalArgumentException("query: must be a string, got " + describe(value));
  }

  private static String describe(Object value) {
    String shown = String.valueOf(value);
    if (shown.length() > 40) {
      shown = shown.substring(0, 40) + "…";
    }
    return (value instanceof String ? "\"" + shown + "\"" : shown) + " (" + value.getClass().getSimpleName() + ")";
  }
}
