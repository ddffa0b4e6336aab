package dev.helix.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helix.http.Reply;
import dev.helix.text.Cut;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Runs one tool: checks what only the MCP side can know, makes the HTTP call, and turns every
 * outcome (answer, error status, no server) into a {@link ToolResult}. Never throws: an agent must
 * get a readable tool error, not a protocol error.
 */
final class ToolCalls {
  /** Long server messages are cut: the agent needs the reason, not a whole stack. */
  private static final int MAX_QUOTED_CHARS = 600;

  private final ServerCalls server;
  private final ObjectMapper json;
  private final Path workingDir;

  ToolCalls(ServerCalls server, ObjectMapper json, Path workingDir) {
    this.server = server;
    this.json = json;
    this.workingDir = workingDir;
  }

  ToolResult call(Tool tool, @Nullable Map<String, Object> arguments) {
    Map<String, Object> body = new LinkedHashMap<>(arguments == null ? Map.of() : arguments);
    if (tool.equals(ToolCatalog.INGEST)) {
      String problem = ingestProblem(body);
      if (problem != null) {
        return ToolResult.failure(problem);
      }
    }
    Reply reply =
        tool.method().equals("GET")
            ? server.get(tool.path(), tool.timeout())
            : server.post(tool.path(), body, tool.timeout());
    return switch (reply) {
      case Reply.Ok ok -> answer(tool, ok.body());
      // A 2xx that is empty or not JSON: answer() says another program may own the port.
      case Reply.BadAnswer b when b.status() != 0 -> answer(tool, b.body());
      case Reply.Failure f -> ToolResult.failure(failure(tool, f));
    };
  }

  /**
   * The two shapes of an ingest body, and relative paths made absolute: the server runs in its own
   * folder, while an agent means paths relative to the project it started helix mcp in.
   */
  private @Nullable String ingestProblem(Map<String, Object> body) {
    boolean paths = body.containsKey("paths");
    boolean content = body.containsKey("content");
    if (paths == content) {
      return (paths
              ? "helix_ingest got both paths and content; "
              : "helix_ingest got neither paths nor content; ")
          + "pass {\"paths\": [\"src\", \"README.md\"]} to index files or folders, or "
          + "{\"content\": \"...\", \"content_type\": \"text\"} to store text that has no file.";
    }
    if (content && !body.containsKey("content_type")) {
      return "helix_ingest got content without content_type; add \"content_type\": \"text\", \"code\" or \"conversation\".";
    }
    if (paths && body.get("paths") instanceof List<?> list) {
      List<Object> absolute = new ArrayList<>();
      for (Object p : list) {
        if (p instanceof String s) {
          try {
            absolute.add(workingDir.resolve(s).normalize().toString());
          } catch (InvalidPathException e) {
            return "helix_ingest got the path \""
                + s
                + "\", which is not a valid path here ("
                + e.getReason()
                + "); pass file or folder paths.";
          }
        } else {
          absolute.add(p);
        }
      }
      body.put("paths", absolute);
    }
    return null;
  }

  private ToolResult answer(Tool tool, String body) {
    JsonNode node;
    try {
      node = json.readTree(body);
    } catch (JsonProcessingException e) {
      node = null;
    }
    if (node == null || node.isMissingNode()) {
      return ToolResult.failure(
          server.base()
              + " answered "
              + tool.route()
              + " with something that is not JSON ("
              + quote(body)
              + "): another program may own that port; point HELIX_MCP_URL at the helix server, "
              + "or start helix with ./helix up.");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> structured = node.isObject() ? json.convertValue(node, Map.class) : null;
    return new ToolResult(false, body, structured);
  }

  private String refusal(Tool tool, Reply.ErrorStatus a) {
    String said = serverMessage(a.body());
    String head =
        "helix server at "
            + server.base()
            + " answered "
            + tool.route()
            + " with "
            + a.status()
            + (said.isEmpty() ? "" : " (" + said + ")");
    return switch (a.status()) {
      case 400, 422 ->
          head
              + ": the arguments of "
              + tool.name()
              + " were rejected; fix them as the message says (see the tool's input schema) and call again.";
      case 401 ->
          head
              + ": the server requires its token; set HELIX_TOKEN (or [server] token in helix.toml) "
              + "for helix mcp to the server's token, then restart the MCP server in your agent.";
      case 403 ->
          head
              + ": the server's local guard refused the request; if HELIX_MCP_URL names a host other "
              + "than localhost or 127.0.0.1, add that host to the server's [server] allowed_hosts.";
      case 404 ->
          head
              + ": this server has no "
              + tool.route()
              + " route; it is an older helix than this "
              + "helix mcp, or not helix at all. Restart it from this helix with ./helix down && ./helix up, "
              + "or point HELIX_MCP_URL at the right server.";
      case 413 ->
          head
              + ": the request is larger than the server's [server] max_body_bytes; send less "
              + "content, or write it to a file and ingest it by path.";
      default ->
          a.status() >= 500
              ? head
                  + ": the server failed; check its log and ./helix status, then call "
                  + tool.name()
                  + " again."
              : head
                  + ": check ./helix status and the arguments, then call "
                  + tool.name()
                  + " again.";
    };
  }

  private String failure(Tool tool, Reply.Failure f) {
    String base = server.base();
    return switch (f) {
      case Reply.ErrorStatus e -> refusal(tool, e);
      case Reply.Refused r ->
          "helix server at "
              + base
              + " is not running ("
              + r.detail()
              + "): start it with ./helix up "
              + "(or helix serve), then call "
              + tool.name()
              + " again. If it runs elsewhere, set HELIX_MCP_URL "
              + "for helix mcp to its URL.";
      case Reply.TimedOut t when t.connecting() ->
          "helix server at "
              + base
              + " is not reachable ("
              + t.detail()
              + "): check the address (HELIX_MCP_URL, or [server] host and port) and start the server with ./helix up.";
      case Reply.TimedOut t ->
          "helix server at "
              + base
              + " did not answer "
              + tool.route()
              + " ("
              + t.detail()
              + "): it may be busy with a large ingest or stuck; check ./helix status, then call "
              + tool.name()
              + " again.";
      case Reply.BadAnswer b ->
          "the call "
              + tool.route()
              + " to the helix server at "
              + base
              + " failed ("
              + b.detail()
              + "): check ./helix status, then call "
              + tool.name()
              + " again.";
    };
  }

  /** The message of an OpenAI-shaped error body, else the body itself, shortened. */
  private String serverMessage(String body) {
    try {
      JsonNode message = json.readTree(body).path("error").path("message");
      if (message.isTextual()) {
        return quote(message.asText());
      }
    } catch (JsonProcessingException e) {
      // Not JSON: quote the body as it is.
    }
    return quote(body);
  }

  private static String quote(String text) {
    String oneLine = text.strip().replaceAll("\\s+", " ");
    if (oneLine.length() <= MAX_QUOTED_CHARS) {
      return oneLine;
    }
    return Cut.head(oneLine, MAX_QUOTED_CHARS) + "...";
  }
}
