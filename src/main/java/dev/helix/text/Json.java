package dev.helix.text;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.util.stream.Collectors;

/**
 * Makes the JSON mapper helix's answers and requests go through: records map to snake_case objects,
 * fields a reader does not know are ignored (a newer server may answer more), and a value of the
 * wrong JSON type is refused rather than converted, so a request with {@code "text": 5} or {@code
 * "target": "300"} is a 400 naming the field. Each composition root (the server, the CLI) makes one
 * and passes it on; nothing holds it globally.
 */
public final class Json {
  private Json() {}

  /** A newly configured mapper: build one per composition root and share it, it is thread-safe. */
  public static ObjectMapper mapper() {
    ObjectMapper mapper =
        new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    // Jackson converts scalars into each other by default (5 into "5", "300" into 300, 1.5 into 1):
    // a client that sends the wrong type should hear so, as it did before requests were bound.
    for (CoercionInputShape shape :
        new CoercionInputShape[] {
          CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean
        }) {
      mapper.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
    }
    for (LogicalType number : new LogicalType[] {LogicalType.Integer, LogicalType.Float}) {
      mapper.coercionConfigFor(number).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
      mapper.coercionConfigFor(number).setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    }
    mapper
        .coercionConfigFor(LogicalType.Integer)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
    return mapper;
  }

  /**
   * The field a binding failure is about, from Jackson's path ({@code roots[2].name}); null when
   * the failure is about the whole document.
   */
  public static @org.jspecify.annotations.Nullable String field(JsonMappingException e) {
    if (e.getPath().isEmpty()) {
      return null;
    }
    return e.getPath().stream()
        .map(r -> r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]")
        .collect(Collectors.joining())
        .replaceFirst("^\\.", "");
  }
}
