package dev.helix.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Whether the server's chat upstream goes through Headroom (docs/routing.md), and the environment
 * each child process gets because of it. A pure function of the effective configuration.
 */
public sealed interface Routing {
  /** The variable that carries the server's upstream into the server child. */
  String SERVER_UPSTREAM_VAR = "HELIX_SERVER_UPSTREAM";

  /** The variable that tells Headroom (and the server, for messages) the real upstream. */
  String TARGET_VAR = "OPENAI_TARGET_API_URL";

  /** Why this decision was made. */
  RoutingReason reason();

  /** The upstream the server will dial. */
  String serverUpstream();

  /** True when chat traffic goes through Headroom. */
  default boolean routeViaHeadroom() {
    return this instanceof Routed;
  }

  /** The real upstream behind Headroom, or null when not routing. */
  default @Nullable String openaiTargetApiUrl() {
    return switch (this) {
      case Routed r -> r.target();
      case Direct d -> null;
    };
  }

  /**
   * The server child's environment: {@code base} plus the routing variables when routing. When not
   * routing nothing is added and nothing of the user's own (e.g. their HELIX_SERVER_UPSTREAM) is
   * removed or rewritten.
   */
  default Map<String, String> serverEnvironment(Map<String, String> base) {
    Map<String, String> env = new LinkedHashMap<>(base);
    if (this instanceof Routed r) {
      env.put(SERVER_UPSTREAM_VAR, r.headroomUrl());
      env.put(TARGET_VAR, r.target());
    }
    return env;
  }

  /** The Headroom child's environment: {@code base} plus the real upstream when routing. */
  default Map<String, String> headroomEnvironment(Map<String, String> base) {
    Map<String, String> env = new LinkedHashMap<>(base);
    if (this instanceof Routed r) {
      env.put(TARGET_VAR, r.target());
    }
    return env;
  }

  /**
   * The routing object of docs/configuration.md ({@code route_via_headroom, reason,
   * server_upstream, openai_target_api_url}), shared by {@code helix config --json}, the launcher's
   * state and status.
   */
  default Map<String, @Nullable Object> asMap() {
    Map<String, @Nullable Object> map = new LinkedHashMap<>();
    map.put("route_via_headroom", routeViaHeadroom());
    map.put("reason", reason().code());
    map.put("server_upstream", serverUpstream());
    map.put("openai_target_api_url", openaiTargetApiUrl());
    return map;
  }

  /** Chat traffic goes to Headroom at {@code headroomUrl}, which forwards it to {@code target}. */
  record Routed(RoutingReason reason, String headroomUrl, String target) implements Routing {
    @Override
    public String serverUpstream() {
      return headroomUrl;
    }
  }

  /** Chat traffic goes straight to {@code upstream}. */
  record Direct(RoutingReason reason, String upstream) implements Routing {
    @Override
    public String serverUpstream() {
      return upstream;
    }
  }

  /** The decision for a loaded configuration. */
  static Routing decide(HelixConfig config) {
    return decide(config.server().upstream(), config.headroom(), config.routeUpstreamAuto());
  }

  /**
   * The rules of docs/routing.md, first match wins.
   *
   * @param envSwitch HELIX_HEADROOM_ROUTE_UPSTREAM_AUTO as a tri-state: null = use the config
   */
  static Routing decide(String upstream, HeadroomConfig headroom, @Nullable Boolean envSwitch) {
    if (Boolean.FALSE.equals(envSwitch)) {
      return new Direct(RoutingReason.ENV_FORCED_OFF, upstream);
    }
    if (envSwitch == null && !headroom.routeUpstream()) {
      return new Direct(RoutingReason.CONFIG_OFF, upstream);
    }
    HostPort target = HostPort.parse(upstream);
    if (target == null) {
      return new Direct(RoutingReason.UNPARSEABLE_UPSTREAM, upstream);
    }
    if (HostNames.isLoopback(target.host())) {
      return new Direct(RoutingReason.LOOPBACK_UPSTREAM, upstream);
    }
    if (target.host().equalsIgnoreCase(HostNames.stripBrackets(headroom.host()))
        && target.port() == headroom.port()) {
      return new Direct(RoutingReason.UPSTREAM_IS_HEADROOM, upstream);
    }
    RoutingReason reason =
        envSwitch != null ? RoutingReason.ENV_FORCED_ON : RoutingReason.CONFIG_ON;
    return new Routed(reason, headroom.baseUrl(), stripTrailingSlashes(upstream.trim()));
  }

  private static String stripTrailingSlashes(String url) {
    String s = url;
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return s;
  }

  /** An upstream's host (no brackets) and port (80/443 when omitted). */
  record HostPort(String host, int port) {
    static @Nullable HostPort parse(String url) {
      URI uri;
      try {
        uri = new URI(url.trim());
      } catch (URISyntaxException e) {
        return null;
      }
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        return null;
      }
      String host = uri.getHost();
      int port = uri.getPort();
      if (host == null && uri.getRawAuthority() != null) {
        // java.net.URI gives no host for names with '_' (common for container hosts); read the
        // authority ourselves rather than calling a usable upstream unparseable.
        String authority = uri.getRawAuthority();
        int at = authority.lastIndexOf('@');
        authority = authority.substring(at + 1);
        int colon = authority.lastIndexOf(':');
        if (colon > 0 && !authority.endsWith("]")) {
          try {
            port = Integer.parseInt(authority.substring(colon + 1));
          } catch (NumberFormatException e) {
            return null;
          }
          authority = authority.substring(0, colon);
        }
        host = authority;
      }
      if (host == null || !isHostName(host)) {
        return null;
      }
      if (port < 0) {
        port = scheme.equals("https") ? 443 : 80;
      }
      return new HostPort(HostNames.stripBrackets(host), port);
    }

    /**
     * A name or address a request could be sent to: letters, digits, '-', '.' and '_', or a
     * bracketed IPv6 address. Found by fuzzing: the authority of {@code https://://} is ":", which
     * was taken for a remote host and routed.
     */
    private static boolean isHostName(String host) {
      if (host.startsWith("[") && host.endsWith("]") && host.length() > 2) {
        return host.substring(1, host.length() - 1)
            .chars()
            .allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.');
      }
      return !host.isEmpty()
          && host.chars()
              .allMatch(
                  c ->
                      c < 128
                          && (Character.isLetterOrDigit(c) || c == '-' || c == '.' || c == '_'));
    }
  }
}
