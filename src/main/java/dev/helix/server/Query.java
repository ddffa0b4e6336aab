package dev.helix.server;

import java.util.Map;

/** Typed query-string parameters of the server's GET routes, with 400s that say what to send. */
final class Query {
  private Query() {}

  /** A positive integer parameter, or {@code fallback} when absent. */
  static int positive(Map<String, String> query, String name, int fallback) {
    String value = query.get(name);
    if (value == null || value.isEmpty()) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(value);
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // Reported below, as a negative number is.
    }
    throw ApiException.badField(
        name, name + " must be a positive integer, but was '" + value + "'");
  }
}
