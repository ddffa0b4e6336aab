package dev.helix.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The effective configuration of one helix process: file, environment and defaults merged, with the
 * provenance of every value. Immutable; built only by {@link ConfigLoader}.
 *
 * @param home {@code $HELIX_HOME}: launcher state, logs and the default store
 * @param file the config file that was read, or null when defaults were used
 * @param routeUpstreamAuto the {@code HELIX_HEADROOM_ROUTE_UPSTREAM_AUTO} switch: null when unset
 *     or empty ("use the config"), else its truthiness
 * @param headroomBridgeDisabled {@code HELIX_DISABLE_HEADROOM} was truthy: the compression bridge
 *     never calls Headroom
 * @param mcpUrl {@code HELIX_MCP_URL}, the server URL the MCP tools call, when set
 */
public record HelixConfig(
    ServerConfig server,
    StoreConfig store,
    BudgetConfig budget,
    LauncherConfig launcher,
    HeadroomConfig headroom,
    Path home,
    @Nullable Path file,
    @Nullable Boolean routeUpstreamAuto,
    boolean headroomBridgeDisabled,
    @Nullable String mcpUrl,
    Settings settings) {

  public HelixConfig {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(budget, "budget");
    Objects.requireNonNull(launcher, "launcher");
    Objects.requireNonNull(headroom, "headroom");
    Objects.requireNonNull(home, "home");
    Objects.requireNonNull(settings, "settings");
  }

  /** The config file that was read, if any. */
  public Optional<Path> configFile() {
    return Optional.ofNullable(file);
  }

  /** The routing decision of docs/routing.md for this configuration. */
  public Routing routing() {
    return Routing.decide(this);
  }

  /** The launcher's state folder, {@code $HELIX_HOME/launcher}. */
  public Path launcherDir() {
    return home.resolve("launcher");
  }
}
