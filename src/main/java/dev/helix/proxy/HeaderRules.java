package dev.helix.proxy;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Which headers cross the proxy (RFC 9110 §7.6.1): end-to-end headers, including the client's
 * {@code Authorization}, are forwarded; hop-by-hop ones, and those the proxy sets itself, are not.
 */
final class HeaderRules {
  private static final Set<String> HOP_BY_HOP = Set.of(
      "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection",
      "te", "trailer", "transfer-encoding", "upgrade");

  /**
   * Request headers helix does not forward besides hop-by-hop ones: {@code Host} and
   * {@code Content-Length} (the HTTP client sets them for the upstream), {@code Expect} (the client
   * refuses it), {@code X-Helix-Token} (helix's own secret, never the upstream's), and
   * {@code Accept-Encoding}: the loopback hop gains nothing from compression and helix must read
   * error bodies and replies it may learn from.
   */
  private static final Set<String> NOT_FORWARDED = Set.of(
      "host", "content-length", "expect", "x-helix-token", "accept-encoding");

  /** Response headers the server writes itself; CORS grants are never relayed (SPEC §10). */
  private static final Set<String> NOT_RELAYED = Set.of("content-length", "date");

  private HeaderRules() {}

  /** Calls {@code sink} with each request header that goes to the upstream. */
  static void forwardRequest(Map<String, List<String>> headers, BiConsumer<String, String> sink) {
    copy(headers, sink, NOT_FORWARDED);
  }

  /** Calls {@code sink} with each upstream response header that goes back to the client. */
  static void relayResponse(Map<String, List<String>> headers, BiConsumer<String, String> sink) {
    copy(headers, sink, NOT_RELAYED);
  }

  private static void copy(Map<String, List<String>> headers, BiConsumer<String, String> sink, Set<String> dropped) {
    Set<String> listedInConnection = new HashSet<>();
    headers.forEach((name, values) -> {
      if (name != null && name.equalsIgnoreCase("connection")) {
        values.forEach(v -> {
          for (String token : v.split(",")) {
            listedInConnection.add(token.trim().toLowerCase(Locale.ROOT));
          }
        });
      }
    });
    headers.forEach((name, values) -> {
      if (name == null || name.startsWith(":")) {
        return;
      }
      String lower = name.toLowerCase(Locale.ROOT);
      if (HOP_BY_HOP.contains(lower) || dropped.contains(lower) || listedInConnection.contains(lower)
          || lower.startsWith("access-control-")) {
        return;
      }
      values.forEach(v -> sink.accept(name, v));
    });
  }
}
