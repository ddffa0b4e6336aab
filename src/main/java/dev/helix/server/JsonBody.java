package dev.helix.server;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A request's JSON object and typed access to its fields; every mistake is a 400 that names the
 * field, the bad value and what it should be.
 */
final class JsonBody {
  private final ObjectNode root;

  private JsonBody(ObjectNode root) {
    this.root = root;
  }

  static JsonBody parse(ObjectMapper mapper, byte[] body) {
    JsonNode node;
    try {
      node = mapper.readTree(body);
    } catch (IOException e) {
      JsonLocation at = e instanceof JacksonException j ? j.getLocation() : null;
      String why = e instanceof JacksonException j ? j.getOriginalMessage() : e.getMessage();
      throw new ApiException(
          400,
          "the request body is not valid JSON"
              + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr())
              + ": "
              + why,
          null,
          "invalid_json");
    }
    if (!(node instanceof ObjectNode object)) {
      throw new ApiException(
          400,
          "the request body must be a JSON object, but was "
              + (node == null || node.isMissingNode() ? "empty" : kind(node)),
          null,
          "invalid_json");
    }
    return new JsonBody(object);
  }

  /** The whole object, for binding it to a record. */
  JsonNode tree() {
    return root;
  }

  boolean has(String field) {
    return root.hasNonNull(field);
  }

  /** A required string that is not blank. */
  String requiredText(String field) {
    JsonNode value = root.get(field);
    if (value == null || value.isNull()) {
      throw ApiException.badField(field, field + " is required: send it as a non-empty string");
    }
    if (!value.isTextual()) {
      throw ApiException.badField(field, field + " must be a string, but was " + describe(value));
    }
    if (value.asText().isBlank()) {
      throw ApiException.badField(field, field + " must not be empty");
    }
    return value.asText();
  }

  /** An optional string; null when absent. */
  @Nullable String optionalText(String field) {
    JsonNode value = root.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw ApiException.badField(field, field + " must be a string, but was " + describe(value));
    }
    return value.asText();
  }

  /** An optional positive integer, or {@code fallback} when absent. */
  int positiveInt(String field, int fallback) {
    JsonNode value = root.get(field);
    if (value == null || value.isNull()) {
      return fallback;
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() <= 0) {
      throw ApiException.badField(
          field, field + " must be a positive integer, but was " + describe(value));
    }
    return value.asInt();
  }

  /** A required non-empty array of non-empty strings. */
  List<String> textList(String field) {
    JsonNode value = root.get(field);
    if (value == null || !value.isArray() || value.isEmpty()) {
      throw ApiException.badField(
          field,
          field
              + " must be a non-empty array of strings, but was "
              + (value == null ? "missing" : describe(value)));
    }
    List<String> items = new ArrayList<>();
    for (JsonNode item : value) {
      if (!item.isTextual() || item.asText().isBlank()) {
        throw ApiException.badField(
            field, field + " must hold only non-empty strings, but held " + describe(item));
      }
      items.add(item.asText());
    }
    return items;
  }

  /** An optional array of non-empty strings; empty when absent (an empty array too). */
  List<String> optionalTextList(String field) {
    JsonNode value = root.get(field);
    return value == null || value.isNull() || (value.isArray() && value.isEmpty())
        ? List.of()
        : textList(field);
  }

  /**
   * An optional array whose items are strings or null (a default), as many as {@code size}; empty
   * when absent.
   */
  List<@Nullable String> optionalNames(String field, int size) {
    JsonNode value = root.get(field);
    if (value == null || value.isNull()) {
      return List.of();
    }
    if (!value.isArray() || value.size() != size) {
      throw ApiException.badField(
          field,
          field
              + " must be an array of "
              + size
              + " names (one per path, null for the"
              + " folder's own name), but was "
              + describe(value));
    }
    List<@Nullable String> items = new ArrayList<>();
    for (JsonNode item : value) {
      if (!item.isNull() && (!item.isTextual() || item.asText().isBlank())) {
        throw ApiException.badField(
            field, field + " must hold names or null, but held " + describe(item));
      }
      items.add(item.isNull() ? null : item.asText());
    }
    return items;
  }

  /** An optional boolean, or {@code fallback} when absent. */
  boolean optionalBoolean(String field, boolean fallback) {
    JsonNode value = root.get(field);
    if (value == null || value.isNull()) {
      return fallback;
    }
    if (!value.isBoolean()) {
      throw ApiException.badField(
          field, field + " must be true or false, but was " + describe(value));
    }
    return value.asBoolean();
  }

  /** The value for an error message: its JSON text, cut short, and its kind. */
  static String describe(JsonNode value) {
    if (value.isNull()) {
      return "null";
    }
    String text = value.toString();
    if (text.length() > 60) {
      text = text.substring(0, 60) + "...";
    }
    return kind(value) + " " + text;
  }

  private static String kind(JsonNode node) {
    return switch (node.getNodeType()) {
      case STRING -> "the string";
      case NUMBER -> "the number";
      case BOOLEAN -> "the boolean";
      case ARRAY -> "the array";
      case OBJECT -> "the object";
      case NULL -> "null";
      default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
    };
  }
}
