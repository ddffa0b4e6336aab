package dev.helix.reliability;

import java.io.IOException;
import java.util.List;

/**
 * A daemon under attack: where it listens, one state-changing route whose side effect is visible
 * from outside (shutting down, starting a child), and a probe that tells whether that side effect
 * happened. The launcher's control API joins the suite with one more of these.
 *
 * @param name for messages, e.g. "helix serve"
 * @param port the port it listens on (127.0.0.1)
 * @param stateChangingPath a POST route that changes state, e.g. {@code /admin/shutdown}
 * @param probePath a GET route that answers 200 while the daemon is as it was, e.g. {@code /health}
 * @param authHeaders what a legitimate caller adds (a token), or none
 */
record AttackTarget(String name, int port, String stateChangingPath, String probePath, List<String> authHeaders) {
  AttackTarget {
    authHeaders = List.copyOf(authHeaders);
  }

  /** True while the daemon answers its probe with 200 to a well-formed local request. */
  boolean stillAlive() {
    try {
      List<String> headers = new java.util.ArrayList<>(List.of("Host: 127.0.0.1:" + port));
      headers.addAll(authHeaders);
      return RawHttp.send(port, "GET", probePath, headers, null).status() == 200;
    } catch (IOException e) {
      return false;
    }
  }
}
