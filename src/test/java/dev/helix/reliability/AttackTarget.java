package dev.helix.reliability;

import java.io.IOException;
import java.util.List;

/**
 * A daemon under attack: where it listens, one state-changing route whose side effect is visible
 * from outside (shutting down, stopping a child), and a probe that tells whether that side effect
 * happened: the daemon's own health route, or, for the launcher, the health of the server it runs.
 *
 * @param name for messages, e.g. "helix serve"
 * @param port the port it listens on (127.0.0.1)
 * @param stateChangingPath a POST route that changes state, e.g. {@code /admin/shutdown}
 * @param probePort the port of the probe: {@code port} itself, or the supervised server's
 * @param probePath a GET route that answers 200 while the daemon is as it was, e.g. {@code /health}
 * @param authHeaders what a legitimate caller adds (a token), or none
 * @param readPaths GET routes of the daemon a rebinding page would like to read (the dashboard with
 *     its session token, the state)
 */
record AttackTarget(
    String name,
    int port,
    String stateChangingPath,
    int probePort,
    String probePath,
    List<String> authHeaders,
    List<String> readPaths) {
  AttackTarget {
    authHeaders = List.copyOf(authHeaders);
    readPaths = List.copyOf(readPaths);
  }

  /**
   * A daemon whose own {@code probePath} shows whether an attack had its effect, and is what it
   * serves to read.
   */
  AttackTarget(
      String name, int port, String stateChangingPath, String probePath, List<String> authHeaders) {
    this(name, port, stateChangingPath, port, probePath, authHeaders, List.of(probePath));
  }

  /** True while the probe answers 200 to a well-formed local request. */
  boolean stillAlive() {
    try {
      List<String> headers = new java.util.ArrayList<>(List.of("Host: 127.0.0.1:" + probePort));
      headers.addAll(authHeaders);
      return RawHttp.send(probePort, "GET", probePath, headers, null).status() == 200;
    } catch (IOException e) {
      return false;
    }
  }
}
