package dev.helix.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code server} and {@code headroom} objects of {@code /api/state} keep the keys the dashboard reads. */
class ChildViewTest {
  static final ObjectMapper JSON = new ObjectMapper();

  static List<String> keys(JsonNode node) {
    List<String> keys = new ArrayList<>();
    node.fieldNames().forEachRemaining(keys::add);
    return keys;
  }

  @Test
  void theServerObjectHasTheDashboardsKeysInSnakeCaseWithNullsKept() {
    LastError error = new LastError("run", "the server (pid 7) exited with status 1", Instant.parse("2026-01-02T03:04:05Z"));
    JsonNode node = JSON.valueToTree(new ServerChild.View(false, "stopped", null, "127.0.0.1", 8080,
        "http://127.0.0.1:8080", false, 0, null, 2, true, 1.5, "crash: pid 7 exited with status 1",
        "2026-01-02T03:04:05Z", error, List.of("java", "serve"), "/tmp/server.log"));
    assertThat(keys(node)).containsExactly("running", "state", "pid", "host", "port", "url", "owned", "uptime_s",
        "started_at", "restarts", "auto_restart", "next_restart_in_s", "last_restart_reason", "last_restart_at",
        "last_error", "command", "log");
    assertThat(node.path("pid").isNull()).isTrue();
    assertThat(node.path("next_restart_in_s").asDouble()).isEqualTo(1.5);
    assertThat(keys(node.path("last_error"))).containsExactly("operation", "message", "at");
    assertThat(node.path("last_error").path("at").asText()).isEqualTo("2026-01-02T03:04:05Z");
    assertThat(node.path("command").isArray()).isTrue();
  }

  @Test
  void theHeadroomObjectHasTheDashboardsKeysInSnakeCaseWithNullsKept() {
    JsonNode node = JSON.valueToTree(new HeadroomChild.View("running", true, true, false, "http://127.0.0.1:8787",
        "http://127.0.0.1:8787/dashboard", 42L, List.of("headroom", "proxy"), null, null, "/tmp/headroom.log"));
    assertThat(keys(node)).containsExactly("state", "owned", "enabled", "autostart", "url", "dashboard_url", "pid",
        "command", "hint", "last_error", "log");
    assertThat(node.path("hint").isNull()).isTrue();
    assertThat(node.path("last_error").isNull()).isTrue();
    assertThat(node.path("dashboard_url").asText()).endsWith("/dashboard");
  }
}
