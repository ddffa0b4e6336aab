package dev.helix.compress;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.helix.text.Json;
import java.math.BigDecimal;
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
public record CompressionRequest(
    String text, @Nullable Integer target, Kind kind, @Nullable String query) {
  /** What each field of the body must be, for the message that refuses it. */
  private static final Map<String, String> EXPECTED =
      Map.of(
          "text",
          "must be a JSON string, the text to compress",
          "target",
          "must be a whole number of tokens from 1 to " + Integer.MAX_VALUE,
          "kind",
          "must be a string, one of: " + Kind.allowedValues(),
          "query",
          "must be a string");

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

  /** A field of a body that cannot be bound: {@link #field()} is Jackson's path to it. */
  public static final class InvalidField extends IllegalArgumentException {
    private final String field;

    InvalidField(String field, String message, Throwable cause) {
      super(message, cause);
      this.field = field;
    }

    /** The field the message is about, e.g. {@code kind}. */
    public String field() {
      return field;
    }
  }

  /**
   * Binds a {@code POST /compress} body {@code {text, target?, kind?, query?}} with {@code mapper}
   * (made by {@link Json#mapper()}). Unknown fields are ignored.
   *
   * @throws InvalidField naming the bad field (from Jackson's path), the bad value and what is
   *     allowed
   */
  public static CompressionRequest read(ObjectMapper mapper, JsonNode body) {
    try {
      return mapper.treeToValue(body, CompressionRequest.class);
    } catch (JsonMappingException e) {
      String field = Json.field(e);
      if (field == null) {
        field = "text";
      }
      throw new InvalidField(field, message(field, e), e);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new InvalidField(
          "text", "the body cannot be read as a compression request: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * The message for a field Jackson could not bind: our own validation's, or what the field must
   * be.
   */
  private static String message(String field, JsonMappingException e) {
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      if (t instanceof IllegalArgumentException own) {
        return own.getMessage(); // Kind.parse and Target name their field themselves
      }
    }
    String expected = EXPECTED.getOrDefault(field, "is not valid");
    if (e instanceof MismatchedInputException
        && e.getOriginalMessage().startsWith("Missing required")) {
      return field + ": required; it " + expected;
    }
    return field + ": " + expected + ", got " + seen(e);
  }

  /** What the body held where Jackson failed, as a person would name it. */
  private static String seen(JsonMappingException e) {
    if (!(e.getProcessor() instanceof JsonParser parser) || parser.currentToken() == null) {
      return "something else (" + e.getOriginalMessage() + ")";
    }
    JsonToken token = parser.currentToken();
    try {
      return switch (token) {
        case START_ARRAY -> "an array";
        case START_OBJECT -> "an object";
        case VALUE_NULL -> "null";
        case VALUE_TRUE, VALUE_FALSE -> "the boolean " + parser.getText();
        case VALUE_STRING -> "the string \"" + dev.helix.text.Cut.head(parser.getText(), 40) + "\"";
        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "the number " + parser.getText();
        default -> token.asString() == null ? token.name() : token.asString();
      };
    } catch (java.io.IOException io) {
      return token.name();
    }
  }

  @JsonCreator
  static CompressionRequest bind(
      @JsonProperty(value = "text", required = true) @JsonSetter(nulls = Nulls.FAIL) String text,
      @JsonProperty("target") @Nullable Target target,
      @JsonProperty("kind") @Nullable Kind kind,
      @JsonProperty("query") @Nullable String query) {
    return new CompressionRequest(
        text, target == null ? null : target.tokens(), kind == null ? Kind.AUTO : kind, query);
  }

  /** A token budget as JSON may give it: a whole number (120.0 too) from 1 to the largest int. */
  record Target(int tokens) {
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static Target of(BigDecimal number) {
      if (number.stripTrailingZeros().scale() > 0
          || number.compareTo(BigDecimal.ONE) < 0
          || number.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) {
        throw new IllegalArgumentException(
            "target: must be a whole number of tokens from 1 to "
                + Integer.MAX_VALUE
                + ", got "
                + number.toPlainString());
      }
      return new Target(number.intValueExact());
    }
  }
}
