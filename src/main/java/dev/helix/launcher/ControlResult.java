package dev.helix.launcher;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The answer of one control operation: an HTTP status and its JSON body (docs/launcher.md). */
record ControlResult(int status, Map<String, @Nullable Object> body) {
  static ControlResult ok(@Nullable Long pid, String message) {
    return of(200, true, pid, false, message);
  }

  static ControlResult pending(long pid, String message) {
    return of(202, true, pid, true, message);
  }

  static ControlResult conflict(String message) {
    return of(409, false, null, false, message);
  }

  static ControlResult timedOut(@Nullable Long pid, String message) {
    return of(408, false, pid, false, message);
  }

  static ControlResult failed(String message) {
    return of(500, false, null, false, message);
  }

  private static ControlResult of(
      int status, boolean ok, @Nullable Long pid, boolean pending, String message) {
    Map<String, @Nullable Object> body = new LinkedHashMap<>();
    body.put("ok", ok);
    body.put("pid", pid);
    body.put("started_pending", pending);
    body.put("message", message);
    return new ControlResult(status, body);
  }

  boolean succeeded() {
    return status == 200 || status == 202;
  }

  String message() {
    return String.valueOf(body.get("message"));
  }
}
