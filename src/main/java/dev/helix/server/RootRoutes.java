package dev.helix.server;

import com.sun.net.httpserver.HttpExchange;
import dev.helix.context.RemovedRoot;
import dev.helix.context.RootStatus;
import dev.helix.context.UnknownRootException;
import dev.helix.http.JsonResponses;
import dev.helix.workspace.Workspace;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /roots} and {@code DELETE /roots/{name}}: the folders helix keeps in sync
 * (docs/workspaces.md).
 */
final class RootRoutes {
  private static final String PREFIX = "/roots/";

  private final Workspace workspace;
  private final JsonResponses json;

  RootRoutes(Workspace workspace, JsonResponses json) {
    this.workspace = workspace;
    this.json = json;
  }

  void register(Router router) {
    router.add("GET", "/roots", this::list).addUnder("DELETE", PREFIX, this::remove);
  }

  private void list(HttpExchange exchange, byte[] body) throws IOException {
    json.send(exchange, 200, Map.of("roots", statuses(workspace)));
  }

  /** Every root, or a 500 naming the store's failure. */
  static List<RootStatus> statuses(Workspace workspace) {
    try {
      return workspace.roots();
    } catch (IOException e) {
      throw new ApiException(
          500, "the store cannot list its roots: " + e.getMessage(), null, "store_error");
    }
  }

  private void remove(HttpExchange exchange, byte[] body) throws IOException {
    String raw = exchange.getRequestURI().getRawPath().substring(PREFIX.length());
    String name = URLDecoder.decode(raw, StandardCharsets.UTF_8);
    RemovedRoot removed;
    try {
      removed = workspace.remove(name);
    } catch (UnknownRootException e) {
      throw new ApiException(404, e.getMessage(), "not_found_error", "name", "unknown_root");
    } catch (IOException e) {
      throw new ApiException(
          500,
          "removing the root '"
              + name
              + "' failed: "
              + e.getMessage()
              + "; what was committed before stays; try again",
          null,
          "store_error");
    }
    json.send(exchange, 200, removed.answer());
  }
}
