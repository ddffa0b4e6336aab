package dev.helix.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helix.testing.ChildJvm;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher supervising a real helix server child (docs/launcher.md). */
class LauncherSupervisionIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  Fixture fixture;

  @BeforeEach
  void setUp() throws Exception {
    fixture = new Fixture(dir);
    // The machine running the tests may be busy: give a JVM start plenty of time.
    fixture.set("launcher.start_wait", "60");
  }

  @AfterEach
  void tearDown() throws Exception {
    fixture.close();
  }

  JsonNode state() throws Exception {
    return JSON.readTree(fixture.get("/api/state").body());
  }

  JsonNode awaitState(Predicate<JsonNode> condition, String what) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    JsonNode state = state();
    while (!condition.test(state)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "timed out waiting for " + what + "; last state: " + state.path("server"));
      }
      Thread.sleep(200);
      state = state();
    }
    return state;
  }

  long healthPid() throws Exception {
    return JSON.readTree(
            fixture.getUrl("http://127.0.0.1:" + fixture.serverPort + "/health").body())
        .path("pid")
        .asLong();
  }

  @Test
  void theSupervisedServerIsTheOneAnsweringHealth() throws Exception {
    Launcher launcher = fixture.start(true);
    assertThat(launcher.serverStartProblem()).isEmpty();
    JsonNode server = state().path("server");
    assertThat(server.path("running").asBoolean()).isTrue();
    assertThat(server.path("owned").asBoolean()).isTrue();
    assertThat(server.path("pid").asLong()).isEqualTo(healthPid());
    assertThat(server.path("port").asInt()).isEqualTo(fixture.serverPort);
    assertThat(server.path("command").toString())
        .contains("dev.helix.cli.Main", "serve", "--config");
    JsonNode recorded = JSON.readTree(Files.readString(dir.resolve("home/launcher/state.json")));
    assertThat(recorded.path("server").path("pid").asLong()).isEqualTo(healthPid());
    assertThat(recorded.path("server").path("owned").asBoolean()).isTrue();
    assertThat(recorded.path("launcher_pid").asLong()).isEqualTo(ProcessHandle.current().pid());

    long pid = healthPid();
    launcher.close();
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
        .as("no orphan after the launcher stops")
        .isFalse();
    assertThat(ChildJvm.listening(fixture.serverPort)).isFalse();
    assertThat(
            JSON.readTree(Files.readString(dir.resolve("home/launcher/state.json")))
                .path("server")
                .path("owned")
                .asBoolean())
        .isFalse();
    assertThat(dir.resolve("home/launcher/session.token")).doesNotExist();
  }

  @Test
  void theControlApiAnswersWithTheDocumentedCodes() throws Exception {
    fixture.start(true);
    long first = healthPid();

    HttpResponse<String> again = fixture.control("start", "", "");
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(again.body()).contains("already running");

    HttpResponse<String> stop = fixture.control("stop", "", "{}");
    assertThat(stop.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(stop.body()).path("pid").asLong()).isEqualTo(first);
    assertThat(ChildJvm.listening(fixture.serverPort))
        .as("stop answers once the port is free")
        .isFalse();
    assertThat(ProcessHandle.of(first).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    assertThat(state().path("server").path("running").asBoolean()).isFalse();

    assertThat(fixture.control("stop", "", "{}").statusCode()).isEqualTo(409);

    HttpResponse<String> restartStopped = fixture.control("restart", "", "{}");
    assertThat(restartStopped.statusCode())
        .as("restart of a stopped server starts it")
        .isEqualTo(200);
    JsonNode started = JSON.readTree(restartStopped.body());
    assertThat(started.path("ok").asBoolean()).isTrue();
    assertThat(started.path("started_pending").asBoolean()).isFalse();
    assertThat(started.path("pid").asLong()).isEqualTo(healthPid()).isNotEqualTo(first);

    HttpResponse<String> restart = fixture.control("restart", "", "");
    assertThat(restart.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(restart.body()).path("pid").asLong())
        .isEqualTo(healthPid())
        .isNotEqualTo(started.path("pid").asLong());
    JsonNode server = state().path("server");
    assertThat(server.path("restarts").asInt()).as("a manual restart counts").isEqualTo(1);
    assertThat(server.path("last_restart_reason").asText()).isEqualTo("restarted by user");
    assertThat(server.path("last_restart_at").asText()).isNotEmpty();
  }

  @Test
  void aCrashedServerIsRestartedAndTheCrashIsShown() throws Exception {
    fixture.start(true);
    long first = healthPid();
    ProcessHandle.of(first).orElseThrow().destroyForcibly();
    JsonNode state =
        awaitState(
            s ->
                s.path("server").path("running").asBoolean()
                    && s.path("server").path("pid").asLong() != first,
            "the restarted server");
    JsonNode server = state.path("server");
    assertThat(server.path("restarts").asInt()).isEqualTo(1);
    assertThat(server.path("last_restart_reason").asText()).startsWith("crash: pid " + first);
    assertThat(server.path("last_error").path("operation").asText()).isEqualTo("run");
    assertThat(server.path("last_error").path("message").asText())
        .contains("pid " + first, "exited with status");
    assertThat(server.path("last_error").path("at").asText()).isNotEmpty();
    assertThat(server.path("pid").asLong()).isEqualTo(healthPid());
  }

  @Test
  void aStopSuspendsAutoRestartUntilTheNextStart() throws Exception {
    fixture.start(true);
    assertThat(fixture.control("stop", "", "{}").statusCode()).isEqualTo(200);
    Thread.sleep(2500);
    JsonNode server = state().path("server");
    assertThat(server.path("running").asBoolean()).isFalse();
    assertThat(server.path("restarts").asInt()).isZero();
    assertThat(server.path("auto_restart").asBoolean()).isFalse();
  }

  @Test
  void aStartSlowerThanStartWaitAnswers202AndKeepsTheProcess() throws Exception {
    fixture.set("launcher.start_wait", "0.001");
    Launcher launcher = fixture.start(true);
    assertThat(launcher.serverStartProblem())
        .hasValueSatisfying(m -> assertThat(m).contains("still starting"));
    awaitState(
        s -> s.path("server").path("running").asBoolean(), "the slow server to become ready");
    assertThat(fixture.control("stop", "", "{}").statusCode()).isEqualTo(200);

    HttpResponse<String> start = fixture.control("start", "", "{}");
    assertThat(start.statusCode()).isEqualTo(202);
    JsonNode body = JSON.readTree(start.body());
    assertThat(body.path("ok").asBoolean()).isTrue();
    assertThat(body.path("started_pending").asBoolean()).isTrue();
    assertThat(body.path("message").asText()).contains("still starting");
    long pid = body.path("pid").asLong();
    JsonNode state =
        awaitState(s -> s.path("server").path("running").asBoolean(), "the pending server");
    assertThat(state.path("server").path("pid").asLong())
        .as("the process was kept, not killed")
        .isEqualTo(pid);
  }

  @Test
  void aHelixAlreadyRunningIsAdoptedAndNeverStoppedByTheLauncher() throws Exception {
    Path config = fixture.writeConfig();
    Process existing =
        fixture.spawn(
            ChildJvm.command(dev.helix.cli.Main.class, "serve", "--config", config.toString()),
            fixture.env,
            "existing-serve.log");
    ChildJvm.awaitListening(
        fixture.serverPort, Duration.ofSeconds(90), "the pre-started helix serve");
    Launcher launcher = fixture.start(true);
    JsonNode server = state().path("server");
    assertThat(server.path("running").asBoolean()).isTrue();
    assertThat(server.path("owned").asBoolean()).isFalse();
    assertThat(server.path("pid").asLong()).isEqualTo(existing.pid());

    HttpResponse<String> stop = fixture.control("stop", "", "{}");
    assertThat(stop.statusCode()).isEqualTo(409);
    assertThat(stop.body()).contains("adopted", "force");

    launcher.close();
    assertThat(existing.isAlive()).as("an adopted server outlives the launcher").isTrue();
    assertThat(healthPid()).isEqualTo(existing.pid());
  }

  @Test
  void aForcedStopNeverSignalsAPidThatDoesNotHoldThePortAndAnswers408WhenNothingStops()
      throws Exception {
    // The process an impostor names as its own: a forced stop must not touch it.
    Process bystander = fixture.spawn(List.of("sleep", "600"), fixture.env, "bystander.log");
    Process impostor =
        fixture.spawn(
            ChildJvm.command(
                dev.helix.testing.StandInHelix.class,
                "--port",
                Integer.toString(fixture.serverPort),
                "--token",
                "t",
                "--claim-pid",
                Long.toString(bystander.pid())),
            fixture.env,
            "impostor.log");
    ChildJvm.awaitListening(fixture.serverPort, Duration.ofSeconds(90), "the impostor helix");
    fixture.start(true);
    assertThat(state().path("server").path("owned").asBoolean()).isFalse();

    HttpResponse<String> stop = fixture.control("stop", "", "{\"force\": true}");

    assertThat(stop.statusCode()).as(stop.body()).isEqualTo(408);
    JsonNode body = JSON.readTree(stop.body());
    assertThat(body.path("ok").asBoolean()).isFalse();
    assertThat(body.path("message").asText())
        .contains("sent it no signal", "pid " + bystander.pid(), "port " + fixture.serverPort);
    assertThat(bystander.isAlive()).as("the process the impostor named was left alone").isTrue();
    assertThat(impostor.isAlive()).isTrue();
    assertThat(state().path("server").path("last_error").toString()).contains("sent it no signal");
  }

  @Test
  void aServerTheLauncherGaveUpOnIsReportedWithItsErrorToWhoeverFindsTheLauncher()
      throws Exception {
    fixture.start(true);
    assertThat(fixture.control("stop", "", "{}").statusCode()).isEqualTo(200);
    assertThat(LauncherClient.findRunning(fixture.config()).orElseThrow().serverProblem())
        .as("a server stopped on purpose is no problem")
        .isNull();

    try (ServerSocket squatter = new ServerSocket()) {
      squatter.bind(new InetSocketAddress("127.0.0.1", fixture.serverPort));
      HttpResponse<String> start = fixture.control("start", "", "{}");
      assertThat(start.statusCode()).as(start.body()).isGreaterThanOrEqualTo(400);

      LauncherClient.Running running = LauncherClient.findRunning(fixture.config()).orElseThrow();
      assertThat(running.serverRunning()).isFalse();
      assertThat(running.serverProblem())
          .contains("port " + fixture.serverPort, "held by another program");
    }
  }

  @Test
  void aPortHeldByAnotherProgramIsRefusedWithAClearMessage() throws Exception {
    try (ServerSocket squatter = new ServerSocket()) {
      squatter.bind(new InetSocketAddress("127.0.0.1", fixture.serverPort));
      assertThatThrownBy(() -> fixture.start(true))
          .isInstanceOf(Launcher.StartFailure.class)
          .hasMessageContaining("port 127.0.0.1:" + fixture.serverPort)
          .hasMessageContaining("held by another program")
          .hasMessageContaining("[server] port");
    }
    assertThat(List.of(ChildJvm.listening(fixture.launcherPort)))
        .as("the launcher let go of its own port")
        .containsExactly(false);
  }
}
