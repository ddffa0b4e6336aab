package dev.helix.proxy;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The configured upstream API base and how request paths are joined onto it (docs/api.md): an empty
 * path (or {@code /}) means {@code /v1}; any other path is the API base as given, so {@code
 * https://api.openai.com/v1} never becomes {@code /v1/v1}.
 */
record UpstreamUrl(URI base, String apiPath) {

  /** Parses {@code [server] upstream}; the error names the bad value and what to write instead. */
  static UpstreamUrl parse(String configured) {
    URI uri;
    try {
      uri = new URI(configured.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "[server] upstream '"
              + redact(configured)
              + "' is not a URL ("
              + e.getReason()
              + "); use for example http://localhost:11434",
          e);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
      throw new IllegalArgumentException(
          "[server] upstream '"
              + redact(configured)
              + "' must be an http:// or https:// URL with a host, for example http://localhost:11434");
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    return new UpstreamUrl(uri, path.isEmpty() ? "/v1" : path);
  }

  /**
   * The upstream URI for a client path under {@code /v1}.
   *
   * @param clientPath the raw path the client asked for, starting with {@code /v1}
   * @param rawQuery the client's raw query string, passed on unchanged
   */
  URI resolve(String clientPath, @Nullable String rawQuery) {
    String rest = clientPath.length() > 3 ? clientPath.substring(3) : "";
    StringBuilder url = new StringBuilder();
    url.append(base.getScheme())
        .append("://")
        .append(base.getRawAuthority())
        .append(apiPath)
        .append(rest);
    if (rawQuery != null && !rawQuery.isEmpty()) {
      url.append('?').append(rawQuery);
    }
    return URI.create(url.toString());
  }

  /**
   * The probe target for {@code /health}: the API's model list, which every compatible server has.
   */
  URI models() {
    return resolve("/v1/models", null);
  }

  /** {@code host:port}, as error messages name a hop. */
  String hostAndPort() {
    int port =
        base.getPort() >= 0
            ? base.getPort()
            : base.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    return base.getHost() + ":" + port;
  }

  /** The base as configured, without credentials: safe for logs, health and error bodies. */
  String display() {
    return redact(base.toString());
  }

  /** Removes user info and the query from a URL so secrets never reach logs or error bodies. */
  static String redact(String url) {
    try {
      URI uri = new URI(url.trim());
      if (uri.getHost() == null) {
        return uri.getRawUserInfo() == null && uri.getRawQuery() == null
            ? url
            : "(unparseable URL)";
      }
      String port = uri.getPort() >= 0 ? ":" + uri.getPort() : "";
      String path = uri.getRawPath() == null ? "" : uri.getRawPath();
      return uri.getScheme() + "://" + uri.getHost() + port + path;
    } catch (URISyntaxException e) {
      return "(unparseable URL)";
    }
  }
}
