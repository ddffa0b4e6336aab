package dev.helix.config;

/** Why chat traffic is or is not routed through Headroom: the reason codes of docs/routing.md. */
public enum RoutingReason {
  ENV_FORCED_OFF("env_forced_off", "HELIX_HEADROOM_ROUTE_UPSTREAM_AUTO is set to a false value"),
  CONFIG_OFF("config_off", "[headroom] route_upstream is false"),
  UNPARSEABLE_UPSTREAM("unparseable_upstream", "the upstream has no host or is not http/https"),
  LOOPBACK_UPSTREAM("loopback_upstream", "the upstream is on this machine, so it stays direct"),
  UPSTREAM_IS_HEADROOM("upstream_is_headroom", "the upstream already is Headroom"),
  ENV_FORCED_ON("env_forced_on", "HELIX_HEADROOM_ROUTE_UPSTREAM_AUTO is set to a true value"),
  CONFIG_ON("config_on", "[headroom] route_upstream is true");

  private final String code;
  private final String explanation;

  RoutingReason(String code, String explanation) {
    this.code = code;
    this.explanation = explanation;
  }

  /** The reason code as it appears in JSON, logs and the dashboard. */
  public String code() {
    return code;
  }

  /** One sentence for people. */
  public String explanation() {
    return explanation;
  }
}
