package dev.helix.proxy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * Which headers cross the proxy (RFC 9110 §7.6.1): end-to-end headers, including the client's
 * {@code Authorization}, are forwarded; hop-by-hop ones, and those the proxy sets itself, are not.
 */
final class HeaderRules {
  private static final Set<String> HOP_BY_HOP =
      caseInsensitive(
          "connection",
          "keep-alive",
          "proxy-authenticate",
          "proxy-authorization",
          "proxy-connection",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade");

  /**
   * Request headers helix does not forward besides hop-by-hop ones: {@code Host} and {@code
   * Content-Length} (the HTTP client sets them for the upstream), {@code Expect} (the client
   * refuses it), {@code X-Helix-Token} (helix's own secret, never the upstream's), and {@code
   * Accept-Encoding}: the loopback hop gains nothing from compression and helix must read error
   * bodies and replies it may learn from.
   */
  private static final Set<String> NOT_FORWARDED =
      caseInsensitive("host", "content-length", "expect", "x-helix-token", "accept-encoding");

  /**
   * Response headers the server writes itself; CORS grants are never relayed (docs/security.md).
   */
  private static final Set<String> NOT_RELAYED = caseInsensitive("content-length", "date");

  private HeaderRules() {}

  /** Calls {@code sink} with each request header that goes to the upstream. */
  static void forwardRequest(Map<String, List<String>> headers, BiConsumer<String, String> sink) {
    copy(headers, sink, NOT_FORWARDED);
  }

  /** Calls {@code sink} with each upstream response header that goes back to the client. */
  static void relayResponse(Map<String, List<String>> headers, BiConsumer<String, String> sink) {
    copy(headers, sink, NOT_RELAYED);
  }

  private static void copy(
      Map<String, List<String>> headers, BiConsumer<String, String> sink, Set<String> dropped) {
    // Every Connection entry's tokens: a map may hold the name in more than one case.
    Set<String> listedInConnection = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    for (Map.Entry<String, List<String>> header : headers.entrySet()) {
      if (header.getKey() != null && header.getKey().equalsIgnoreCase("connection")) {
        listedInConnection.addAll(tokens(header.getValue()));
      }
    }
    for (Map.Entry<String, List<String>> header : headers.entrySet()) {
      String name = header.getKey();
      if (name == null || name.startsWith(":")) {
        continue;
      }
      if (HOP_BY_HOP.contains(name)
          || dropped.contains(name)
          || listedInConnection.contains(name)
          || name.regionMatches(true, 0, "access-control-", 0, "access-control-".length())) {
        continue;
      }
      for (String value : header.getValue()) {
        sink.accept(name, value);
      }
    }
  }

  /**
   * The comma-separated tokens of a header's values, trimmed and lower-cased (none for no header).
   */
  static List<String> tokens(@Nullable List<String> values) {
    if (values == null) {
      return List.of();
    }
    List<String> tokens = new ArrayList<>();
    for (String value : values) {
      for (String token : value.split(",")) {
        if (!token.isBlank()) {
          tokens.add(token.strip().toLowerCase(Locale.ROOT));
        }
      }
    }
    return tokens;
  }

  /**
   * Header names compare without regard to case, and without a lower-cased copy per header and
   * call.
   */
  private static Set<String> caseInsensitive(String... names) {
    Set<String> set = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    set.addAll(Arrays.asList(names));
    return Collections.unmodifiableSet(set);
  }
}
