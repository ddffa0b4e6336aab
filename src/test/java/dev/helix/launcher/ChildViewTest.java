package dev.helix.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The {@code server} and {@code headroom} objects of {@code /api/state} keep the keys the dashboard
 * reads.
 */
class ChildViewTest {
  static final ObjectMapper JSON = new ObjectMapper();

  static List<String> keys(JsonNode node) {
    List<String> keys = new ArrayList<>();
    node.fieldNames().forEachRemaining(keys::add);
    return keys;
  }

  @Test
  void theServerObjectHasTheDashboardsKeysInSnakeCaseWithNullsKept() {
    LastError error =
        new LastError(
            "run",
            "the server (pid 7) exited with status 1",
            Instant.parse("2026-01-02T03:04:05Z"));
    JsonNode node =
        JSON.valueToTree(
            new ServerChild.View(
                false,
                "stopped",
                null,
                "127.0.0.1",
                8080,
                "http://127.0.0.1:8080",
                false,
                0,
                null,
                2,
                true,
                1.5,
                "crash: pid 7 exited with status 1",
                "2026-01-02T03:04:05Z",
                error,
                List.of("java", "serve"),
                "/tmp/server.log"));
    assertThat(keys(node))
        .containsExactly(
            "running",
            "state",
            "pid",
            "host",
            "port",
            "url",
            "owned",
            "uptime_s",
            "started_at",
            "restarts",
            "auto_restart",
            "next_restart_in_s",
            "last_restart_reason",
            "last_restart_at",
            "last_error",
            "command",
            "log");
    assertThat(node.path("pid").isNull()).isTrue();
    assertThat(node.path("next_restart_in_s").asDouble()).isEqualTo(1.5);
    assertThat(keys(node.path("last_error"))).containsExactly("operation", "message", "at");
    assertThat(node.path("last_error").path("at").asText()).isEqualTo("2026-01-02T03:04:05Z");
    assertThat(node.path("command").isArray()).isTrue();
  }

  @Test
  void theHeadroomObjectHasTheDashboardsKeysInSnakeCaseWithNullsKept() {
    JsonNode node =
        JSON.valueToTree(
            new HeadroomChild.View(
                "running",
                true,
                true,
                false,
                "http://127.0.0.1:8787",
                "http://127.0.0.1:8787/dashboard",
                42L,
                List.of("headroom", "proxy"),
                null,
                null,
                "/tmp/headroom.log"));
    assertThat(keys(node))
        .containsExactly(
            "state",
            "owned",
            "enabled",
            "autostart",
            "url",
            "dashboard_url",
            "pid",
            "command",
            "hint",
            "last_error",
            "log");
    assertThat(node.path("hint").isNull()).isTrue();
    assertThat(node.path("last_error").isNull()).isTrue();
    assertThat(node.path("dashboard_url").asText()).endsWith("/dashboard");
  }

  @Test
  void theWholeStateHasTheDashboardsKeys() {
    ServerChild.View server =
        new ServerChild.View(
            true,
            "running",
            7L,
            "127.0.0.1",
            8080,
            "http://127.0.0.1:8080",
            true,
            12,
            "2026-01-02T03:04:05Z",
            0,
            true,
            null,
            null,
            null,
            null,
            List.of("java"),
            "/tmp/server.log");
    HeadroomChild.View headroom =
        new HeadroomChild.View(
            "absent",
            false,
            false,
            true,
            "http://127.0.0.1:8787",
            null,
            null,
            List.of("headroom"),
            "Headroom is off",
            null,
            "/tmp/headroom.log");
    JsonNode node =
        JSON.valueToTree(
            new LauncherState(
                "helix-launcher",
                "dev",
                1L,
                "2026-01-02T03:04:05Z",
                3,
                new LauncherState.Urls(
                    "http://127.0.0.1:11438/", "http://127.0.0.1:8080", "http://127.0.0.1:8080/v1"),
                server,
                headroom,
                java.util.Map.of("reason", "config_off"),
                "off in the config",
                null,
                null,
                List.of(),
                new LauncherState.Files("/h/state.json", "/h/session.token", "/h")));
    assertThat(keys(node))
        .containsExactly(
            "service",
            "version",
            "pid",
            "started_at",
            "uptime_s",
            "urls",
            "server",
            "headroom",
            "routing",
            "routing_explanation",
            "stats",
            "upstream",
            "warnings",
            "files");
    assertThat(keys(node.path("urls"))).containsExactly("dashboard", "server", "openai_base");
    assertThat(keys(node.path("files"))).containsExactly("state", "session_token", "logs");
    assertThat(node.path("server").path("uptime_s").asLong()).isEqualTo(12);
    assertThat(node.path("stats").isNull()).isTrue();
  }
}
