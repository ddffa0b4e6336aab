package dev.helix.mcp;

import java.time.Duration;
import java.util.Objects;

/**
 * One helix tool as an agent sees it, and the HTTP route it stands for.
 *
 * @param method {@code GET} or {@code POST}; a POST sends the tool's arguments as the body
 * @param timeout how long the call may wait for the server's answer
 * @param readOnly the tool never changes the store (an MCP hint clients use to skip confirmation)
 * @param inputSchema the JSON schema of the arguments, equal to the route's body
 */
record Tool(
    String name,
    String title,
    String method,
    String path,
    Duration timeout,
    boolean readOnly,
    String description,
    String inputSchema) {
  Tool {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(inputSchema, "inputSchema");
    if (!method.equals("GET") && !method.equals("POST")) {
      throw new IllegalArgumentException(
          "tool " + name + " has method " + method + "; use GET or POST");
    }
  }

  /** {@code POST /context}, as messages name the route. */
  String route() {
    return method + " " + path;
  }
}
