package dev.helix.config;

import java.time.Duration;
import java.util.Objects;

/** The {@code [launcher]} section: where the launcher binds and how long a start waits. */
public record LauncherConfig(String host, int port, Duration startWait) {
  public LauncherConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(startWait, "startWait");
  }

  /** The launcher's own base URL, e.g. {@code http://127.0.0.1:11438}. */
  public String baseUrl() {
    return "http://" + HostNames.forUrl(host) + ":" + port;
  }
}
