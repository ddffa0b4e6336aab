package dev.helix.config;

import java.util.Locale;
import java.util.regex.Pattern;

/** Host-name facts shared by the routing rules and the daemons' bind checks. */
public final class HostNames {
  private static final Pattern IPV4_LOOPBACK =
      Pattern.compile("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");

  private HostNames() {}

  /**
   * True for {@code localhost}, {@code ::1} and any {@code 127.x.x.x} literal. Compares the host
   * string only (no DNS lookup), case-insensitively, with or without IPv6 brackets.
   */
  public static boolean isLoopback(String host) {
    String h = stripBrackets(host).toLowerCase(Locale.ROOT);
    return h.equals("localhost") || h.equals("::1") || IPV4_LOOPBACK.matcher(h).matches();
  }

  /**
   * True for the any-address literals {@code 0.0.0.0} and {@code ::}, with or without IPv6
   * brackets.
   */
  public static boolean isWildcard(String host) {
    String h = stripBrackets(host);
    return h.equals("0.0.0.0") || h.equals("::");
  }

  /**
   * The host a client on this machine dials for a server bound to {@code host}: loopback for a
   * wildcard.
   */
  public static String dialable(String host) {
    return isWildcard(host) ? "127.0.0.1" : host;
  }

  /** The host as it goes into a URL: IPv6 literals get brackets. */
  public static String forUrl(String host) {
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  /** The host without IPv6 brackets. */
  public static String stripBrackets(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }
}
