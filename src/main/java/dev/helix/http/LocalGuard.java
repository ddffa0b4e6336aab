package dev.helix.http;

import com.sun.net.httpserver.Headers;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The local-security checks of docs/security.md that both daemons run on every request, in order:
 * Host (DNS rebinding), Origin and Sec-Fetch-Site (CSRF), content type. Token checks follow, per
 * daemon.
 */
public final class LocalGuard {
  /** Why a request was refused: the status to answer and a message naming what to do. */
  public record Rejection(int status, String message) {}

  private static final Pattern PORT = Pattern.compile("(:[0-9]*)?");

  private final Set<String> hosts = new HashSet<>();

  /**
   * @param bindHost the host the daemon binds to (always accepted as a Host name)
   * @param allowedHosts extra Host names from {@code [server] allowed_hosts}
   */
  public LocalGuard(String bindHost, List<String> allowedHosts) {
    hosts.addAll(List.of("localhost", "127.0.0.1", "::1"));
    hosts.add(normalizeHost(bindHost));
    allowedHosts.forEach(h -> hosts.add(normalizeHost(h)));
    hosts.remove("");
  }

  /**
   * Checks one request.
   *
   * @param method the HTTP method
   * @param headers the request headers
   * @param hasBody whether the request carries a body (Content-Length > 0 or chunked)
   * @param port the port the daemon actually listens on (its own Origin)
   */
  public Optional<Rejection> check(String method, Headers headers, boolean hasBody, int port) {
    String host = headers.getFirst("Host");
    if (host == null || host.isBlank() || !hosts.contains(hostName(host))) {
      return Optional.of(
          new Rejection(
              403,
              "Host '"
                  + (host == null ? "" : host)
                  + "' is not allowed; use localhost or 127.0.0.1, or add the name to [server] allowed_hosts"));
    }
    if (!isStateChanging(method)) {
      return Optional.empty();
    }
    String site = headers.getFirst("Sec-Fetch-Site");
    if (site != null && site.trim().equalsIgnoreCase("cross-site")) {
      return Optional.of(
          new Rejection(
              403,
              "cross-site requests are refused; call helix from its own page, a CLI or an SDK"));
    }
    String origin = headers.getFirst("Origin");
    if (origin != null && !isOwnOrigin(origin, port)) {
      return Optional.of(
          new Rejection(
              403,
              "Origin '"
                  + origin
                  + "' is not this daemon's own; cross-origin requests are refused"));
    }
    String type = headers.getFirst("Content-Type");
    if ((type != null || hasBody) && !isJson(type)) {
      return Optional.of(
          new Rejection(
              415,
              "the request body must be application/json, but was "
                  + (type == null ? "untyped" : "'" + type + "'")));
    }
    return Optional.empty();
  }

  /** POST, PUT, PATCH and DELETE change state; they get the Origin and content-type checks. */
  public static boolean isStateChanging(String method) {
    return switch (method.toUpperCase(Locale.ROOT)) {
      case "POST", "PUT", "PATCH", "DELETE" -> true;
      default -> false;
    };
  }

  private boolean isOwnOrigin(String origin, int port) {
    if (origin.equals("null")) {
      return false;
    }
    try {
      URI uri = new URI(origin.trim());
      return "http".equalsIgnoreCase(uri.getScheme())
          && uri.getHost() != null
          && hosts.contains(normalizeHost(uri.getHost()))
          && uri.getPort() == port;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  private static boolean isJson(@Nullable String contentType) {
    if (contentType == null) {
      return false;
    }
    String media = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    return media.equals("application/json");
  }

  /**
   * The host part of a Host header: without port, without IPv6 brackets, lower case; empty when the
   * header is not {@code name}, {@code [ipv6]} or bare {@code ::1}, then at most {@code :digits}
   * (so {@code localhost:evil} or {@code [::1]evil} never pass as localhost).
   */
  static String hostName(String hostHeader) {
    String h = hostHeader.trim();
    String name;
    String port;
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      if (end < 0) {
        return "";
      }
      name = h.substring(0, end + 1);
      port = h.substring(end + 1);
    } else if (h.indexOf(':') >= 0 && h.indexOf(':') == h.lastIndexOf(':')) {
      name = h.substring(0, h.indexOf(':'));
      port = h.substring(h.indexOf(':'));
    } else {
      name = h;
      port = "";
    }
    // Host names on the wire are printable ASCII (IDNs travel as punycode). Refusing the rest keeps
    // "localhost\0:80" from passing once trimmed, and Unicode case folding (the Kelvin sign
    // lower-cases to 'k') from matching an allowed name.
    boolean printable = name.chars().allMatch(c -> c > ' ' && c < 127);
    return printable && PORT.matcher(port).matches() ? normalizeHost(name) : "";
  }

  private static String normalizeHost(String host) {
    String h = host.trim().toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    return h;
  }
}
