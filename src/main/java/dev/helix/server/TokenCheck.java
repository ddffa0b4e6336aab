package dev.helix.server;

import com.sun.net.httpserver.Headers;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The server token of docs/security.md: when set, every route but {@code /health} needs it, as
 * {@code Authorization: Bearer} on helix's own routes and as {@code X-Helix-Token} on {@code
 * /v1/*}, whose {@code Authorization} belongs to the upstream. Compared in constant time.
 */
final class TokenCheck {
  static final String PROXY_HEADER = "X-Helix-Token";

  private final byte @Nullable [] expected;

  TokenCheck(@Nullable String token) {
    this.expected = token == null || token.isEmpty() ? null : sha256(token);
  }

  /**
   * Why the request is refused (a 401 message that never quotes the token), or empty when it may
   * pass.
   */
  Optional<String> check(String path, Headers headers) {
    if (expected == null || path.equals("/health")) {
      return Optional.empty();
    }
    if (Router.isProxied(path)) {
      String given = headers.getFirst(PROXY_HEADER);
      return matches(given)
          ? Optional.empty()
          : Optional.of(
              (given == null ? "missing " : "wrong ")
                  + PROXY_HEADER
                  + ": this helix server has a token ([server] token or HELIX_TOKEN); send it as "
                  + PROXY_HEADER
                  + " on /v1 routes, whose Authorization header goes to the upstream");
    }
    String authorization = headers.getFirst("Authorization");
    String given =
        authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
            ? authorization.substring(7).trim()
            : null;
    return matches(given)
        ? Optional.empty()
        : Optional.of(
            (given == null ? "missing " : "wrong ")
                + "token: this helix server has a token ([server] token or HELIX_TOKEN); send Authorization: Bearer <token>");
  }

  private boolean matches(@Nullable String given) {
    // Hashing first makes the comparison constant-time in the token's length as well.
    return given != null && expected != null && MessageDigest.isEqual(expected, sha256(given));
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(
          "this JVM has no SHA-256, which every Java platform must provide", e);
    }
  }
}
