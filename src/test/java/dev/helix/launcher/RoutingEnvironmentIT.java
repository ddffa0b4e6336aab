package dev.helix.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The five scenarios of the reference change (pr-84), checked on the environment the real server
 * child was started with (read from /proc/PID/environ), plus the improvement that the user's own
 * HELIX_SERVER_UPSTREAM is never removed or rewritten.
 */
@EnabledOnOs(OS.LINUX)
class RoutingEnvironmentIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String REMOTE = "https://api.openai.com/v1";
  @TempDir Path dir;
  Fixture fixture;

  @BeforeEach
  void setUp() throws Exception {
    fixture = new Fixture(dir);
    // The environment is fixed at exec: no need to wait for the server to become ready.
    fixture.set("launcher.start_wait", "0.001");
  }

  @AfterEach
  void tearDown() throws Exception {
    fixture.close();
  }

  /**
   * Starts the launcher and returns the server child's environment and the routing in /api/state.
   */
  private Map<String, String> serverChildEnvironment() throws Exception {
    fixture.start(true);
    JsonNode state = JSON.readTree(fixture.get("/api/state").body());
    long pid = state.path("server").path("pid").asLong();
    assertThat(pid).isPositive();
    String raw =
        new String(
            Files.readAllBytes(Path.of("/proc/" + pid + "/environ")), StandardCharsets.UTF_8);
    Map<String, String> env = new HashMap<>();
    for (String entry : raw.split("\0")) {
      int eq = entry.indexOf('=');
      if (eq > 0) {
        env.put(entry.substring(0, eq), entry.substring(eq + 1));
      }
    }
    return env;
  }

  private JsonNode routing() throws Exception {
    return JSON.readTree(fixture.get("/api/state").body()).path("routing");
  }

  private String headroomUrl() {
    return "http://127.0.0.1:" + fixture.headroomPort;
  }

  @Test
  void aRemoteUpstreamIsNotRoutedWhenRouteUpstreamIsOffByDefault() throws Exception {
    fixture.set("server.upstream", Fixture.quote(REMOTE));
    Map<String, String> env = serverChildEnvironment();
    assertThat(env)
        .doesNotContainKey("HELIX_SERVER_UPSTREAM")
        .doesNotContainKey("OPENAI_TARGET_API_URL");
    assertThat(routing().path("reason").asText()).isEqualTo("config_off");
    assertThat(routing().path("route_via_headroom").asBoolean()).isFalse();
  }

  @Test
  void aRemoteUpstreamIsRoutedWhenRouteUpstreamIsOptedIn() throws Exception {
    fixture
        .set("server.upstream", Fixture.quote(REMOTE + "/"))
        .set("headroom.route_upstream", "true");
    Map<String, String> env = serverChildEnvironment();
    assertThat(env)
        .containsEntry("HELIX_SERVER_UPSTREAM", headroomUrl())
        .containsEntry("OPENAI_TARGET_API_URL", REMOTE);
    JsonNode state = JSON.readTree(fixture.get("/api/state").body());
    assertThat(state.path("routing").path("reason").asText()).isEqualTo("config_on");
    assertThat(state.path("routing").path("openai_target_api_url").asText()).isEqualTo(REMOTE);
    assertThat(state.path("warnings").toString())
        .as("routing on while Headroom is not answering is visible")
        .contains("Headroom is not answering");
  }

  @Test
  void theEnvironmentSwitchSetFalseForcesRoutingOffEvenWhenTheConfigOptsIn() throws Exception {
    fixture.set("server.upstream", Fixture.quote(REMOTE)).set("headroom.route_upstream", "true");
    fixture.env.put("HELIX_HEADROOM_ROUTE_UPSTREAM_AUTO", "0");
    Map<String, String> env = serverChildEnvironment();
    assertThat(env)
        .doesNotContainKey("HELIX_SERVER_UPSTREAM")
        .doesNotContainKey("OPENAI_TARGET_API_URL");
    assertThat(routing().path("reason").asText()).isEqualTo("env_forced_off");
  }

  @Test
  void theEnvironmentSwitchSetTrueForcesRoutingOnEvenWhenTheConfigSaysOff() throws Exception {
    fixture.set("server.upstream", Fixture.quote(REMOTE));
    fixture.env.put("HELIX_HEADROOM_ROUTE_UPSTREAM_AUTO", "1");
    Map<String, String> env = serverChildEnvironment();
    assertThat(env)
        .containsEntry("HELIX_SERVER_UPSTREAM", headroomUrl())
        .containsEntry("OPENAI_TARGET_API_URL", REMOTE);
    assertThat(routing().path("reason").asText()).isEqualTo("env_forced_on");
  }

  @Test
  void aLocalUpstreamStaysDirectEvenWhenRoutingIsOptedIn() throws Exception {
    fixture
        .set("server.upstream", Fixture.quote("http://localhost:11434"))
        .set("headroom.route_upstream", "true");
    Map<String, String> env = serverChildEnvironment();
    assertThat(env)
        .doesNotContainKey("HELIX_SERVER_UPSTREAM")
        .doesNotContainKey("OPENAI_TARGET_API_URL");
    assertThat(routing().path("reason").asText()).isEqualTo("loopback_upstream");
  }

  @Test
  void theUsersOwnServerUpstreamVariableIsPassedOnUnchangedWhenNotRouting() throws Exception {
    fixture.env.put("HELIX_SERVER_UPSTREAM", REMOTE + "/");
    Map<String, String> env = serverChildEnvironment();
    assertThat(env)
        .containsEntry("HELIX_SERVER_UPSTREAM", REMOTE + "/")
        .doesNotContainKey("OPENAI_TARGET_API_URL");
    assertThat(routing().path("reason").asText()).isEqualTo("config_off");
  }
}
