package dev.helix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helix.testing.ChildJvm;
import dev.helix.testing.HelixRun;
import dev.helix.testing.ServeProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code helix status} as a user runs it, with the server down, up, and a launcher answering. */
class StatusCommandIT {
  @TempDir Path dir;

  private final ObjectMapper json = new ObjectMapper();

  private Map<String, String> env() {
    return Map.of("HELIX_HOME", dir.resolve("home").toString());
  }

  /**
   * A helix.toml whose server and launcher ports nothing listens on (unless the test starts
   * something).
   */
  private void configWithPorts(int serverPort, int launcherPort) throws Exception {
    Files.writeString(
        dir.resolve("helix.toml"),
        "[server]\nport = " + serverPort + "\n[launcher]\nport = " + launcherPort + "\n");
  }

  @Test
  void serverDownExitsThreeAndStillPrintsOneJsonDocument() throws Exception {
    int[] ports = ChildJvm.freePorts(2);
    int port = ports[0];
    configWithPorts(port, ports[1]);

    HelixRun.Result result = HelixRun.run(dir, env(), "status", "--json");

    assertThat(result.exitCode()).as(result.stderr()).isEqualTo(3);
    JsonNode status = json.readTree(result.stdout());
    assertThat(status.path("status").asText()).isEqualTo("down");
    assertThat(status.at("/server/url").asText()).isEqualTo("http://127.0.0.1:" + port);
    assertThat(status.at("/server/running").asBoolean()).isFalse();
    assertThat(status.at("/server/error").asText()).contains("connection refused");
    assertThat(status.path("message").asText()).contains("is not running").contains("./helix up");
    assertThat(status.path("store").isNull()).isTrue();
    assertThat(status.at("/launcher/running").asBoolean()).isFalse();
    assertThat(status.at("/routing/reason").asText()).isEqualTo("config_off");
    assertThat(status.at("/routing/route_via_headroom").asBoolean()).isFalse();
  }

  @Test
  void serverDownInHumanFormSaysHowToStartIt() throws Exception {
    int[] ports = ChildJvm.freePorts(2);
    configWithPorts(ports[0], ports[1]);

    HelixRun.Result result = HelixRun.run(dir, env(), "status");

    assertThat(result.exitCode()).isEqualTo(3);
    assertThat(result.stdout())
        .contains("DOWN at http://127.0.0.1:")
        .contains("start it with ./helix up")
        .contains("launcher   not running")
        .contains("routing    direct (config_off");
  }

  @Test
  void runningServerExitsZeroWithItsPidStoreSizeAndRouting() throws Exception {
    try (ServeProcess serve =
        ServeProcess.start(dir, "[launcher]\nport = " + ChildJvm.freePort() + "\n")) {
      HelixRun.Result result =
          HelixRun.run(dir, env(), "status", "--json", "--config", serve.config().toString());

      assertThat(result.exitCode()).as(result.stderr()).isZero();
      JsonNode status = json.readTree(result.stdout());
      assertThat(status.path("status").asText()).isEqualTo("up");
      assertThat(status.at("/server/running").asBoolean()).isTrue();
      assertThat(status.at("/server/pid").asLong()).isEqualTo(serve.pid());
      assertThat(status.at("/store/chunks").isNumber()).isTrue();
      assertThat(status.path("store").has("sources")).isTrue();
      assertThat(status.path("store").has("store_bytes")).isTrue();
      if (hasStats(serve)) {
        assertThat(status.at("/store/sources").isNumber()).isTrue();
        assertThat(status.at("/store/store_bytes").isNumber()).isTrue();
      }
      assertThat(status.at("/routing/reason").asText()).isEqualTo("config_off");

      HelixRun.Result human =
          HelixRun.run(dir, env(), "status", "--config", serve.config().toString());
      assertThat(human.exitCode()).isZero();
      assertThat(human.stdout())
          .contains("server     up at " + serve.url())
          .contains("pid " + serve.pid())
          .containsPattern("store\\s+\\d+ chunks");
    }
  }

  @Test
  void aRunningLauncherIsShownWithItsOwnRoutingDecision() throws Exception {
    Path state = dir.resolve("state.json");
    Files.writeString(
        state,
        """
        {"server": {"running": true, "pid": 4242, "port": 11437, "owned": true, "uptime_s": 75, "restarts": 2,
                    "last_error": {"operation": "start", "message": "port busy", "at": "2026-11-26T20:00:00Z"}},
         "headroom": {"state": "running", "owned": false, "url": "http://127.0.0.1:8787", "dashboard_url": "http://127.0.0.1:8787/dashboard"},
         "routing": {"route_via_headroom": true, "reason": "env_forced_on", "server_upstream": "http://127.0.0.1:8787",
                     "openai_target_api_url": "https://api.openai.com/v1"}}
        """);
    try (StandInLauncher.Started launcher = StandInLauncher.start(state)) {
      configWithPorts(ChildJvm.freePort(), launcher.port());

      HelixRun.Result result = HelixRun.run(dir, env(), "status", "--json");
      HelixRun.Result human = HelixRun.run(dir, env(), "status");

      assertThat(result.exitCode()).isEqualTo(3);
      JsonNode status = json.readTree(result.stdout());
      assertThat(status.at("/launcher/running").asBoolean()).isTrue();
      assertThat(status.at("/launcher/server/restarts").asInt()).isEqualTo(2);
      assertThat(status.at("/launcher/headroom/state").asText()).isEqualTo("running");
      assertThat(status.at("/launcher/routing/reason").asText()).isEqualTo("env_forced_on");
      assertThat(status.at("/routing/reason").asText()).isEqualTo("config_off");
      assertThat(human.stdout())
          .contains("launcher   up at http://127.0.0.1:" + launcher.port())
          .contains("pid 4242 (owned)")
          .contains("2 restarts")
          .contains("last error start: port busy")
          .contains("headroom   running at http://127.0.0.1:8787")
          .contains("the running launcher decided differently: env_forced_on");
    }
  }

  private static boolean hasStats(ServeProcess serve) throws Exception {
    HttpResponse<String> stats =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(serve.url() + "/stats")).build(),
                HttpResponse.BodyHandlers.ofString());
    return stats.statusCode() == 200;
  }
}
