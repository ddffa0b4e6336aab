package dev.helix.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helix.testing.ChildJvm;
import java.io.File;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code helix up}, {@code down} and {@code launcher} as a user runs them: the packaged app in its
 * own JVMs.
 */
class LauncherProcessIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  Fixture fixture;
  Path config;
  final List<ProcessHandle> started = new ArrayList<>();

  record Run(int exit, String out, String err) {}

  @BeforeEach
  void setUp() throws Exception {
    fixture = new Fixture(dir);
    fixture.set("launcher.start_wait", "60");
    config = fixture.writeConfig();
  }

  @AfterEach
  void tearDown() throws Exception {
    // Whatever a failed test left running: the launcher first (it stops its server), then the rest.
    helix("down");
    started.forEach(ChildJvm::stop);
    fixture.close();
  }

  private List<String> command(String... args) {
    return command(config, args);
  }

  private static List<String> command(Path configFile, String... args) {
    List<String> command =
        new ArrayList<>(
            List.of(
                ChildJvm.java(),
                "-jar",
                Path.of(System.getProperty("helix.app.dir"), "helix.jar").toString()));
    command.addAll(List.of(args));
    command.addAll(List.of("--config", configFile.toString()));
    return command;
  }

  private Run helix(String... args) throws Exception {
    return helixWith(config, args);
  }

  /** Runs helix with another config file, in the same HELIX_HOME. */
  private Run helixWith(Path configFile, String... args) throws Exception {
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    ProcessBuilder builder = new ProcessBuilder(command(configFile, args));
    builder.environment().clear();
    builder.environment().putAll(fixture.env);
    builder
        .redirectOutput(out.toFile())
        .redirectError(err.toFile())
        .redirectInput(new File("/dev/null"));
    Process process = builder.start();
    if (!process.waitFor(150, TimeUnit.SECONDS)) {
      ChildJvm.stop(process.toHandle());
      throw new AssertionError(
          "helix " + String.join(" ", args) + " did not finish; stderr: " + Files.readString(err));
    }
    return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
  }

  private JsonNode recordedState() throws Exception {
    return JSON.readTree(Files.readString(dir.resolve("home/launcher/state.json")));
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  private static void awaitDeath(long pid) throws Exception {
    ProcessHandle.of(pid).ifPresent(h -> h.onExit().orTimeout(30, TimeUnit.SECONDS).join());
  }

  @Test
  void upDetachedPrintsTheUrlsASecondUpSaysItRunsAndDownStopsIt() throws Exception {
    Run up = helix("up", "--detach");
    assertThat(up.exit()).as(up.err()).isZero();
    assertThat(up.out())
        .contains("dashboard:        http://127.0.0.1:" + fixture.launcherPort + "/")
        .contains("OpenAI base URL:  http://127.0.0.1:" + fixture.serverPort + "/v1");
    JsonNode state = recordedState();
    long launcherPid = state.path("launcher_pid").asLong();
    long serverPid = state.path("server").path("pid").asLong();
    started.add(ProcessHandle.of(launcherPid).orElseThrow());
    assertThat(ChildJvm.listening(fixture.serverPort)).isTrue();
    assertThat(Files.readString(dir.resolve("home/launcher/launcher.log")))
        .contains("launcher: dashboard at");

    Run again = helix("up");
    assertThat(again.exit()).isZero();
    assertThat(again.err()).contains("already running", "pid " + launcherPid);
    assertThat(again.out()).contains("http://127.0.0.1:" + fixture.serverPort + "/v1");

    Run down = helix("down");
    assertThat(down.exit()).as(down.err()).isZero();
    assertThat(down.out()).contains("stopped");
    assertThat(alive(launcherPid)).isFalse();
    awaitDeath(serverPid);
    assertThat(alive(serverPid)).isFalse();
    assertThat(ChildJvm.listening(fixture.serverPort)).isFalse();

    Run downAgain = helix("down");
    assertThat(downAgain.exit()).isZero();
    assertThat(downAgain.out()).contains("not running");
  }

  @Test
  void theRunningHelixIsFoundThroughHelixHomeWhateverConfigTheCallerGives() throws Exception {
    Run up = helix("up", "--detach");
    assertThat(up.exit()).as(up.err()).isZero();
    long launcherPid = recordedState().path("launcher_pid").asLong();
    started.add(ProcessHandle.of(launcherPid).orElseThrow());
    // Another config with other ports, as the defaults or a helix.toml elsewhere would give.
    int[] otherPorts = ChildJvm.freePorts(2);
    Path other =
        Files.writeString(
            dir.resolve("other.toml"),
            "[server]\nport = " + otherPorts[0] + "\n[launcher]\nport = " + otherPorts[1] + "\n");
    Path tree = Files.createDirectories(dir.resolve("tree"));
    Files.writeString(tree.resolve("notes.md"), "# Notes\n\nThe retry budget is five attempts.\n");

    Run status = helixWith(other, "status");
    assertThat(status.exit()).as(status.out() + status.err()).isZero();
    assertThat(status.out())
        .contains("up at http://127.0.0.1:" + fixture.serverPort)
        .contains("launcher   up at http://127.0.0.1:" + fixture.launcherPort);

    Run missing = helixWith(other, "ingest", dir.resolve("no-such-folder").toString());
    assertThat(missing.exit()).as(missing.err()).isEqualTo(2);
    assertThat(missing.err()).contains("no-such-folder").doesNotContainIgnoringCase("lock");

    Run ingest = helixWith(other, "ingest", tree.toString());
    assertThat(ingest.exit()).as(ingest.err()).isZero();
    assertThat(ingest.err()).contains("helix server at http://127.0.0.1:" + fixture.serverPort);

    Run again = helixWith(other, "up");
    assertThat(again.exit()).as(again.err()).isZero();
    assertThat(again.err()).contains("already running", "pid " + launcherPid);
    assertThat(again.out()).contains("http://127.0.0.1:" + fixture.serverPort + "/v1");

    Run second = helixWith(other, "launcher");
    assertThat(second.exit())
        .as("a second launcher on one HELIX_HOME would share its session token")
        .isEqualTo(2);
    assertThat(second.err())
        .contains("already runs", "pid " + launcherPid, dir.resolve("home").toString());
    assertThat(ChildJvm.listening(otherPorts[0])).isFalse();
    assertThat(ChildJvm.listening(otherPorts[1])).isFalse();

    Run down = helixWith(other, "down");
    assertThat(down.exit()).as(down.err()).isZero();
    assertThat(down.out()).contains("stopped");
    awaitDeath(launcherPid);
    assertThat(ChildJvm.listening(fixture.serverPort)).isFalse();
  }

  @Test
  void upWithAPathIngestsItWithItsReportOnStderrThenServesIt() throws Exception {
    Path tree = Files.createDirectories(dir.resolve("tree"));
    Files.writeString(
        tree.resolve("RetryPolicy.java"),
        "class RetryPolicy {\n  // exponential backoff with jitter"
            + " for the flaky upstream\n  int maxAttempts = 5;\n}\n");
    Run up = helix("up", "--detach", tree.toString());
    assertThat(up.exit()).as(up.err()).isZero();
    started.add(ProcessHandle.of(recordedState().path("launcher_pid").asLong()).orElseThrow());
    assertThat(up.err()).contains("indexed 1 files", "chunks");
    assertThat(up.err())
        .as("stderr carries helix's own words only, not the JVM's or Lucene's")
        .doesNotContain("WARNING")
        .doesNotContain("incubator")
        .doesNotContain("INFO:");
    assertThat(up.out())
        .as("stdout carries the URLs only")
        .doesNotContain("indexed")
        .contains("OpenAI base URL:  http://127.0.0.1:" + fixture.serverPort + "/v1");

    java.net.http.HttpResponse<String> context =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + fixture.serverPort + "/context"))
                    .header("Content-Type", "application/json")
                    .POST(
                        java.net.http.HttpRequest.BodyPublishers.ofString(
                            "{\"query\": \"backoff jitter retry policy\"}"))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(context.statusCode()).as(context.body()).isEqualTo(200);
    assertThat(context.body()).contains("RetryPolicy.java");

    Path more = Files.createDirectories(dir.resolve("more"));
    Files.writeString(
        more.resolve("Quota.java"),
        "class Quota {\n  // the tenant quota resets at midnight UTC\n}\n");
    Run again = helix("up", more.toString());
    assertThat(again.exit()).as(again.err()).isZero();
    assertThat(again.err()).contains("already running", "through its server", "indexed 1 files");
    assertThat(again.out())
        .doesNotContain("indexed")
        .contains("http://127.0.0.1:" + fixture.serverPort + "/v1");
    java.net.http.HttpResponse<String> quota =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + fixture.serverPort + "/context"))
                    .header("Content-Type", "application/json")
                    .POST(
                        java.net.http.HttpRequest.BodyPublishers.ofString(
                            "{\"query\": \"tenant quota midnight\"}"))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(quota.body()).contains("Quota.java");

    Run missing = helix("up", dir.resolve("no-such-folder").toString());
    assertThat(missing.exit()).as("a missing path is a bad argument").isEqualTo(2);
    assertThat(missing.err()).contains("no-such-folder");
  }

  @Test
  void aKilledLaunchersServerIsStoppedByTheNextDown() throws Exception {
    Run up = helix("up", "--detach");
    assertThat(up.exit()).as(up.err()).isZero();
    JsonNode state = recordedState();
    long launcherPid = state.path("launcher_pid").asLong();
    long serverPid = state.path("server").path("pid").asLong();
    started.add(ProcessHandle.of(serverPid).orElseThrow());
    ProcessHandle.of(launcherPid).orElseThrow().destroyForcibly();
    awaitDeath(launcherPid);
    assertThat(alive(serverPid)).as("SIGKILL gives the launcher no chance to clean up").isTrue();

    Run down = helix("down");
    assertThat(down.exit()).as(down.err()).isZero();
    assertThat(down.err())
        .contains("stopped the server (pid " + serverPid + ")", "did not shut down cleanly");
    assertThat(alive(serverPid)).isFalse();
  }

  @Test
  void ctrlCOnAForegroundUpStopsTheServerItStarted() throws Exception {
    Path out = dir.resolve("fg-out.txt");
    ProcessBuilder builder = new ProcessBuilder(command("up"));
    builder.environment().clear();
    builder.environment().putAll(fixture.env);
    builder.redirectOutput(out.toFile()).redirectError(dir.resolve("fg-err.txt").toFile());
    Process up = builder.start();
    started.add(up.toHandle());
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (!Files.readString(out).contains("OpenAI base URL")) {
      assertThat(up.isAlive())
          .as("helix up exited early: " + Files.readString(dir.resolve("fg-err.txt")))
          .isTrue();
      assertThat(System.nanoTime()).as("helix up printed its URLs in time").isLessThan(deadline);
      Thread.sleep(100);
    }
    long serverPid = recordedState().path("server").path("pid").asLong();
    assertThat(alive(serverPid)).isTrue();
    up.destroy(); // SIGTERM, as a terminal's Ctrl-C or systemd's stop would
    assertThat(up.waitFor(60, TimeUnit.SECONDS)).isTrue();
    awaitDeath(serverPid);
    assertThat(alive(serverPid)).isFalse();
    assertThat(Files.readString(dir.resolve("fg-err.txt"))).contains("launcher: stopped");
  }

  @Test
  void aPortHeldByAnotherProgramMakesUpFailWithAClearMessageAndStatus2() throws Exception {
    try (ServerSocket squatter = new ServerSocket()) {
      squatter.bind(new InetSocketAddress("127.0.0.1", fixture.serverPort));
      Run up = helix("up");
      assertThat(up.exit()).as("the environment: status 2").isEqualTo(2);
      assertThat(up.err())
          .contains(
              "port 127.0.0.1:" + fixture.serverPort, "held by another program", "[server] port");

      Run detached = helix("up", "--detach");
      assertThat(detached.exit()).isEqualTo(2);
      assertThat(detached.err())
          .as("the same message as in the foreground, not only 'see launcher.log'")
          .contains(
              "port 127.0.0.1:" + fixture.serverPort, "held by another program", "[server] port")
          .doesNotContain("exited with status");
    }
  }

  @Test
  void aLauncherPortThatIsAlsoTheServerPortIsRefusedBeforeAnythingIsIngestedOrStarted()
      throws Exception {
    Path tree = Files.createDirectories(dir.resolve("tree"));
    Files.writeString(tree.resolve("notes.md"), "# Notes\n");
    fixture.set("launcher.port", Integer.toString(fixture.serverPort));
    config = fixture.writeConfig();

    Run up = helix("up", "--detach", tree.toString());

    assertThat(up.exit()).as(up.err()).isEqualTo(2);
    assertThat(up.err())
        .contains(
            "[server] port and [launcher] port are both " + fixture.serverPort,
            "set one of them to another free port")
        .doesNotContain("indexed");
    assertThat(up.out()).isEmpty();
    assertThat(ChildJvm.listening(fixture.serverPort)).isFalse();
    assertThat(dir.resolve("store")).doesNotExist();
  }

  @Test
  void aNonLoopbackLauncherWithoutATokenIsRefusedWithStatus2() throws Exception {
    fixture.set("launcher.host", "\"0.0.0.0\"");
    config = fixture.writeConfig();
    Run launcher = helix("launcher");
    assertThat(launcher.exit()).isEqualTo(2);
    assertThat(launcher.err()).contains("refusing to bind the launcher to 0.0.0.0 without a token");
    assertThat(ChildJvm.listening(fixture.serverPort)).isFalse();
  }
}
