package dev.helix.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helix.config.HostNames;
import dev.helix.testing.ChildJvm;
import dev.helix.testing.FixedReplyUpstream;
import dev.helix.testing.StandInHeadroom;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Headroom's lifecycle (docs/launcher.md) end to end, with a stand-in Headroom started as the real
 * one would be.
 */
class HeadroomIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  Fixture fixture;
  List<String> standIn;

  @BeforeEach
  void setUp() throws Exception {
    fixture = new Fixture(dir);
    fixture.set("launcher.start_wait", "60");
    standIn = ChildJvm.command(StandInHeadroom.class);
  }

  @AfterEach
  void tearDown() throws Exception {
    fixture.close();
  }

  JsonNode headroom() throws Exception {
    return JSON.readTree(fixture.get("/api/state").body()).path("headroom");
  }

  JsonNode awaitHeadroom(Predicate<JsonNode> condition, String what) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    JsonNode h = headroom();
    while (!condition.test(h)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what + "; last: " + h);
      }
      Thread.sleep(200);
      h = headroom();
    }
    return h;
  }

  JsonNode standInInfo() throws Exception {
    return JSON.readTree(
        fixture.getUrl("http://127.0.0.1:" + fixture.headroomPort + "/_standin").body());
  }

  Process startStandInHeadroom() throws Exception {
    List<String> command = new java.util.ArrayList<>(standIn);
    command.addAll(
        List.of(
            "--host",
            "127.0.0.1",
            "--port",
            Integer.toString(fixture.headroomPort),
            "--mode",
            "token"));
    Process process = fixture.spawn(command, fixture.env, "user-headroom.log");
    ChildJvm.awaitListening(
        fixture.headroomPort, Duration.ofSeconds(60), "the user's stand-in Headroom");
    return process;
  }

  @Test
  void aMissingCommandIsAbsentWithAHint() throws Exception {
    fixture
        .set("headroom.enabled", "true")
        .headroomCommand(List.of("headroom-not-installed-here", "proxy"));
    fixture.start(false);
    JsonNode h = headroom();
    assertThat(h.path("state").asText()).isEqualTo("absent");
    assertThat(h.path("hint").asText()).contains("not installed", "headroom-not-installed-here");
    HttpResponse<String> start = fixture.control("start", "?target=headroom", "{}");
    assertThat(start.statusCode()).isEqualTo(500);
    assertThat(start.body()).contains("was not found on PATH");
  }

  @Test
  void aRunningHeadroomIsAdoptedEvenWhenDisabledAndNotInstalledAndOutlivesTheLauncher()
      throws Exception {
    Process users = startStandInHeadroom();
    fixture.headroomCommand(List.of("/nonexistent/headroom", "proxy"));
    Launcher launcher = fixture.start(false);
    JsonNode h = headroom();
    assertThat(h.path("state").asText()).isEqualTo("running");
    assertThat(h.path("owned").asBoolean()).isFalse();
    assertThat(h.path("dashboard_url").asText())
        .isEqualTo("http://127.0.0.1:" + fixture.headroomPort + "/dashboard");
    assertThat(fixture.getUrl(h.path("dashboard_url").asText()).statusCode()).isEqualTo(200);

    HttpResponse<String> stop = fixture.control("stop", "?target=headroom", "{}");
    assertThat(stop.statusCode()).isEqualTo(409);
    assertThat(stop.body()).contains("adopted", "force");

    launcher.close();
    assertThat(users.isAlive()).isTrue();
    assertThat(ChildJvm.listening(fixture.headroomPort)).isTrue();
  }

  @Test
  void anAdoptedHeadroomStopsOnlyWhenForced() throws Exception {
    Process users = startStandInHeadroom();
    fixture.start(false);
    HttpResponse<String> stop = fixture.control("stop", "?target=headroom", "{\"force\": true}");
    assertThat(stop.statusCode()).isEqualTo(200);
    assertThat(users.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void disabledHeadroomIsNeverStarted() throws Exception {
    fixture.headroomCommand(standIn);
    fixture.start(false);
    Thread.sleep(1500);
    assertThat(headroom().path("state").asText()).isEqualTo("stopped");
    assertThat(headroom().path("hint").asText()).contains("enabled = false");
    assertThat(ChildJvm.listening(fixture.headroomPort)).isFalse();
  }

  @Test
  void autostartRunsTheCommandWithTheConfiguredArgumentsOwnedAndStopsItWithTheLauncher()
      throws Exception {
    fixture
        .set("headroom.enabled", "true")
        .set("headroom.mode", "\"cache\"")
        .headroomCommand(standIn);
    Launcher launcher = fixture.start(false);
    JsonNode h =
        awaitHeadroom(n -> n.path("state").asText().equals("running"), "the autostarted Headroom");
    assertThat(h.path("owned").asBoolean()).isTrue();
    JsonNode info = standInInfo();
    assertThat(info.path("argv").toString())
        .isEqualTo(
            JSON.writeValueAsString(
                List.of(
                    "--host",
                    "127.0.0.1",
                    "--port",
                    Integer.toString(fixture.headroomPort),
                    "--mode",
                    "cache",
                    "--no-rate-limit")));
    long pid = info.path("pid").asLong();
    assertThat(h.path("pid").asLong()).isEqualTo(pid);

    launcher.close();
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
        .as("an owned Headroom stops with the launcher")
        .isFalse();
    assertThat(ChildJvm.listening(fixture.headroomPort)).isFalse();
  }

  @Test
  void aRoutedChatCallReachesTheStandInHeadroomAndThenTheUpstream() throws Exception {
    String hostName = InetAddress.getLocalHost().getHostName();
    assumeThat(HostNames.isLoopback(hostName))
        .as("needs a host name that is not a loopback literal")
        .isFalse();
    int upstreamPort = ChildJvm.freePort();
    fixture.spawn(
        ChildJvm.command(FixedReplyUpstream.class, "--port", Integer.toString(upstreamPort)),
        fixture.env,
        "upstream.log");
    ChildJvm.awaitListening(upstreamPort, Duration.ofSeconds(60), "the stand-in upstream");
    String upstream = "http://" + hostName + ":" + upstreamPort + "/v1";
    fixture
        .set("server.upstream", Fixture.quote(upstream))
        .set("headroom.route_upstream", "true")
        .set("headroom.enabled", "true")
        .headroomCommand(standIn);
    fixture.start(true);
    awaitHeadroom(n -> n.path("state").asText().equals("running"), "the routed Headroom");
    JsonNode state = JSON.readTree(fixture.get("/api/state").body());
    assertThat(state.path("routing").path("route_via_headroom").asBoolean()).isTrue();
    assertThat(state.path("warnings")).isEmpty();
    assertThat(standInInfo().path("env").path("OPENAI_TARGET_API_URL").asText())
        .isEqualTo(upstream);

    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    String chat = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
    // The second hop alone: Headroom forwards to the real upstream named by OPENAI_TARGET_API_URL.
    HttpResponse<String> viaHeadroom =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + fixture.headroomPort + "/v1/chat/completions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(chat))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(viaHeadroom.statusCode()).isEqualTo(200);
    assertThat(viaHeadroom.body()).contains(FixedReplyUpstream.REPLY);

    // Both hops, through helix's chat proxy.
    HttpResponse<String> viaHelix =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + fixture.serverPort + "/v1/chat/completions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(chat))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    int before = standInInfo().path("chat_calls").asInt();
    assertThat(viaHelix.statusCode()).isEqualTo(200);
    assertThat(viaHelix.body()).contains(FixedReplyUpstream.REPLY);
    assertThat(before).as("the helix call went through Headroom").isEqualTo(2);
  }
}
