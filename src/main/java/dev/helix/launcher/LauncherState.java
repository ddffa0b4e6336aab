package dev.helix.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code GET /api/state} (docs/launcher.md), which the dashboard polls: the launcher,
 * its children, the routing decision and the server's figures. Keys are snake_case; nulls are kept.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
record LauncherState(
    String service,
    String version,
    long pid,
    String startedAt,
    long uptimeS,
    Urls urls,
    ServerChild.View server,
    HeadroomChild.View headroom,
    Map<String, @Nullable Object> routing,
    String routingExplanation,
    @Nullable JsonNode stats,
    @Nullable JsonNode upstream,
    List<String> warnings,
    Files files) {

  LauncherState {
    warnings = List.copyOf(warnings);
  }

  /** Where the dashboard, the server and its OpenAI-compatible API answer. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record Urls(String dashboard, String server, String openaiBase) {}

  /** The launcher's files, so a user knows where to look. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record Files(String state, String sessionToken, String logs) {}
}
