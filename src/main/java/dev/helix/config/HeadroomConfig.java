package dev.helix.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The {@code [headroom]} section. {@code enabled} is Headroom's lifecycle (start or adopt it);
 * {@code routeUpstream} is whether the server's chat upstream goes through it. They are independent
 * (see docs/routing.md).
 */
public record HeadroomConfig(
    boolean enabled,
    boolean autostart,
    String host,
    int port,
    HeadroomMode mode,
    String dashboardPath,
    boolean routeUpstream,
    List<String> command,
    List<String> extraArgs,
    Duration compressTimeout) {

  public HeadroomConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(dashboardPath, "dashboardPath");
    Objects.requireNonNull(compressTimeout, "compressTimeout");
    command = List.copyOf(command);
    extraArgs = List.copyOf(extraArgs);
  }

  /** Headroom's base URL, e.g. {@code http://127.0.0.1:8787}. */
  public String baseUrl() {
    return "http://" + HostNames.forUrl(host) + ":" + port;
  }

  /** The URL of Headroom's own dashboard. */
  public String dashboardUrl() {
    return baseUrl() + (dashboardPath.startsWith("/") ? dashboardPath : "/" + dashboardPath);
  }

  /**
   * The full argument list that starts Headroom: the command, then host, port, mode, extra args.
   */
  public List<String> startArguments() {
    List<String> args = new ArrayList<>(command);
    args.addAll(List.of("--host", host, "--port", Integer.toString(port), "--mode", mode.value()));
    args.addAll(extraArgs);
    return List.copyOf(args);
  }
}
