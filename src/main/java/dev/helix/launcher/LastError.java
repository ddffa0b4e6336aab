package dev.helix.launcher;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** The last thing that went wrong with a child: what the launcher was doing, what happened, when. */
record LastError(String operation, String message, Instant at) {
  LastError {
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(at, "at");
  }

  Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("operation", operation);
    json.put("message", message);
    json.put("at", at.toString());
    return json;
  }
}
