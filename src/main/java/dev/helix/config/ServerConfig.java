package dev.helix.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The {@code [server]} section: where the server binds and which LLM API it fronts.
 *
 * @param upstream the OpenAI-compatible API base, as configured; paths are joined as docs/api.md
 *     says
 * @param upstreamTimeout time to the upstream's response headers, and for each idle gap in a stream
 * @param targetApiUrl the real upstream behind Headroom when the launcher routes through it; only
 *     used to name the second hop in error messages
 */
public record ServerConfig(
    String host,
    int port,
    String upstream,
    Duration upstreamTimeout,
    @Nullable String token,
    List<String> allowedHosts,
    long maxBodyBytes,
    boolean learn,
    @Nullable String targetApiUrl) {

  public ServerConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(upstream, "upstream");
    Objects.requireNonNull(upstreamTimeout, "upstreamTimeout");
    allowedHosts = List.copyOf(allowedHosts);
  }

  /** The base URL clients use to reach this server, e.g. {@code http://127.0.0.1:11437}. */
  public String baseUrl() {
    return "http://" + HostNames.forUrl(host) + ":" + port;
  }

  /** True when a token is configured (every route but {@code /health} then needs it). */
  public boolean hasToken() {
    return token != null && !token.isEmpty();
  }

  @Override
  public String toString() {
    // Secrets never appear in logs: records print themselves in log lines and exceptions.
    return "ServerConfig[host="
        + host
        + ", port="
        + port
        + ", upstream="
        + upstream
        + ", token="
        + (hasToken() ? "***" : "unset")
        + "]";
  }
}
