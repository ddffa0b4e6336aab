package dev.helix.launcher;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.time.Instant;
import java.util.Objects;

/**
 * The last thing that went wrong with a child: what the launcher was doing, what happened, when.
 * Serialised as {@code /api/state} shows it, {@code at} as an ISO-8601 instant.
 */
record LastError(
    String operation, String message, @JsonSerialize(using = ToStringSerializer.class) Instant at) {
  LastError {
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(at, "at");
  }
}
