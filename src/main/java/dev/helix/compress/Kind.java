package dev.helix.compress;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a text is, which decides how it is compressed; {@code AUTO} means "detect it". */
public enum Kind {
  AUTO,
  JSON,
  LOG,
  DIFF,
  CODE,
  PROSE;

  /** The name used on the wire and on the command line, e.g. {@code "json"}. */
  @JsonValue
  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The allowed values, comma-separated, for error messages. */
  public static String allowedValues() {
    return Arrays.stream(values()).map(Kind::value).collect(Collectors.joining(", "));
  }

  /**
   * The kind named {@code value} (case-insensitive, surrounding blanks ignored).
   *
   * @throws IllegalArgumentException naming the bad value and the allowed ones
   */
  public static Kind parse(String value) {
    String wanted = value.strip().toLowerCase(Locale.ROOT);
    for (Kind kind : values()) {
      if (kind.value().equals(wanted)) {
        return kind;
      }
    }
    throw new IllegalArgumentException(
        "kind: unknown value '" + value + "'; use one of: " + allowedValues());
  }

  /**
   * The kind a JSON value names; Jackson would read a number as its text, so a non-string is
   * refused here.
   */
  @JsonCreator
  static Kind read(JsonNode value) {
    if (!value.isTextual()) {
      throw new IllegalArgumentException(
          "kind: must be a string, one of: " + allowedValues() + "; got " + value);
    }
    return parse(value.asText());
  }
}
