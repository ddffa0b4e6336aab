package dev.helix.mcp;

import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What one tool call gives the agent: the route's JSON as text (or, on error, what to do), and the
 * same JSON as structured content when it is an object.
 */
record ToolResult(boolean error, String text, @Nullable Map<String, Object> structured) {
  ToolResult {
    Objects.requireNonNull(text, "text");
    structured = structured == null ? null : Map.copyOf(structured);
  }

  static ToolResult failure(String message) {
    return new ToolResult(true, message, null);
  }
}
