package dev.helix.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.sun.net.httpserver.Headers;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Fuzz target for the local guard (docs/security.md): for any method and any Host, Origin,
 * Sec-Fetch-Site and Content-Type values, {@code check} never throws, and a request the spec
 * refuses is refused. The oracle parses headers strictly from the spec's words: a Host is a name, a
 * bracketed IPv6 literal or a bare {@code ::1}, then at most {@code :digits}; names compare ASCII
 * case-insensitively.
 */
class LocalGuardFuzzTest {
  private static final String BIND = "192.168.1.20";
  private static final List<String> ALLOWED = List.of("kite.internal", "Dev.Box.LAN");
  private static final Set<String> NAMES =
      Set.of("localhost", "127.0.0.1", "::1", BIND, "kite.internal", "dev.box.lan");
  private static final List<String> METHODS =
      List.of("GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE", "post", "TRACE");
  private static final Pattern BRACKETED = Pattern.compile("\\[([^\\]]*)\\](?::[0-9]*)?");
  private static final Pattern NAME_AND_PORT = Pattern.compile("([^:\\[\\]]*)(?::[0-9]*)?");

  private final LocalGuard guard = new LocalGuard(BIND, ALLOWED);

  @FuzzTest
  void anyHeadersNeverThrowAndAForeignHostIsAlways403(FuzzedDataProvider data) {
    String method = data.consumeBoolean() ? data.pickValue(METHODS) : data.consumeString(10);
    int port = data.consumeInt(1, 65535);
    boolean hasBody = data.consumeBoolean();
    String host = data.consumeBoolean() ? null : data.consumeString(80);
    String origin = data.consumeBoolean() ? null : data.consumeString(80);
    String site = data.consumeBoolean() ? null : data.consumeString(20);
    String type = data.consumeBoolean() ? null : data.consumeRemainingAsString();
    Headers headers = new Headers();
    try {
      put(headers, "Host", host);
      put(headers, "Origin", origin);
      put(headers, "Sec-Fetch-Site", site);
      put(headers, "Content-Type", type);
    } catch (IllegalArgumentException e) {
      return; // a header no HTTP parser would hand over (bare CR or LF)
    }

    Optional<LocalGuard.Rejection> rejection = guard.check(method, headers, hasBody, port);
    String request =
        String.format(
            "%s with Host '%s', Origin '%s', Sec-Fetch-Site '%s', Content-Type '%s', body %s, port %d",
            method, host, origin, site, type, hasBody, port);

    rejection.ifPresent(r -> assertThat(r.status()).isIn(403, 415));
    rejection.ifPresent(r -> assertThat(r.message()).isNotBlank());
    if (!allowedHost(host)) {
      assertThat(rejection).as("Host '%s' is foreign", host).isPresent();
      assertThat(rejection.get().status()).isEqualTo(403);
      return;
    }
    if (!LocalGuard.isStateChanging(method)) {
      assertThat(rejection).as("a read with Host '%s' passes", host).isEmpty();
      return;
    }
    if (site != null && site.trim().equalsIgnoreCase("cross-site")) {
      assertThat(rejection.map(LocalGuard.Rejection::status)).as(request).contains(403);
      return;
    }
    if (origin != null && !ownOrigin(origin, port)) {
      assertThat(rejection.map(LocalGuard.Rejection::status)).as(request).contains(403);
      return;
    }
    if ((type != null || hasBody) && !isJson(type)) {
      assertThat(rejection.map(LocalGuard.Rejection::status)).as(request).contains(415);
    }
  }

  private static void put(Headers headers, String name, @Nullable String value) {
    if (value != null) {
      headers.set(name, value);
    }
  }

  /** The oracle: is this Host header one of the accepted names, with at most a numeric port? */
  static boolean allowedHost(@Nullable String header) {
    if (header == null) {
      return false;
    }
    String h = header.trim();
    Matcher bracketed = BRACKETED.matcher(h);
    if (bracketed.matches()) {
      return NAMES.contains(asciiLower(bracketed.group(1)));
    }
    if (asciiLower(h).equals("::1")) {
      return true;
    }
    Matcher named = NAME_AND_PORT.matcher(h);
    return named.matches() && NAMES.contains(asciiLower(named.group(1)));
  }

  /** Own origin: http, an accepted name, this port; path, query and userinfo do not matter. */
  private static boolean ownOrigin(String origin, int port) {
    String o = origin.trim();
    String prefix = "http://";
    if (!o.regionMatches(true, 0, prefix, 0, prefix.length())) {
      return false;
    }
    if (!o.chars()
        .allMatch(
            c ->
                c < 128
                    && (Character.isLetterOrDigit(c)
                        || "-._~:/?#[]@!$&'()*+,;=%".indexOf(c) >= 0))) {
      return false; // not a URI at all ("http://localhost:1//:01>"): the guard refuses what it
      // cannot read
    }
    String authority = o.substring(prefix.length()).split("[/?#]", 2)[0];
    if (authority.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
      return false; // a browser never sends a space or control there; "http://\0\0localhost:1" is
      // not this origin
    }
    authority = authority.substring(authority.lastIndexOf('@') + 1);
    int colon = authority.lastIndexOf(':');
    boolean bareIpv6 =
        !authority.startsWith("[") && authority.indexOf(':') != colon; // "http://::1" has no port
    // The port as a number: a browser writes "1", but "01" names the same port (the guard reads it
    // so).
    String digits = authority.substring(colon + 1);
    if (colon < 0
        || bareIpv6
        || digits.isEmpty()
        || !digits.chars().allMatch(c -> c >= '0' && c <= '9')
        || !new java.math.BigInteger(digits).equals(java.math.BigInteger.valueOf(port))) {
      return false;
    }
    return allowedHost(authority);
  }

  private static boolean isJson(@Nullable String type) {
    return type != null && asciiLower(type.split(";", 2)[0].trim()).equals("application/json");
  }

  private static String asciiLower(String s) {
    StringBuilder b = new StringBuilder(s.length());
    s.chars().forEach(c -> b.append((char) (c >= 'A' && c <= 'Z' ? c + 32 : c)));
    return b.toString();
  }
}
