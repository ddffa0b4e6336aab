package dev.helix.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.helix.testing.HelixRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local-security attack suite (docs/security.md) against a real {@code helix serve} child
 * process: every attack is refused with the right status, grants no CORS, and leaves the server
 * running; local names, the token and the non-loopback bind rule work as a user expects.
 */
class LocalAttackIT {
  private static final AtomicInteger TRIED = new AtomicInteger();
  private static final AtomicInteger REFUSED = new AtomicInteger();

  @TempDir Path dir;

  @AfterAll
  static void printCount() {
    System.out.println(
        "attack suite: " + TRIED.get() + " attacks tried, " + REFUSED.get() + " refused");
  }

  @Test
  void everyAttackOnServeIsRefusedAndLeavesItRunning() throws Exception {
    try (ServeProcess serve = ServeProcess.start(dir, "", Map.of())) {
      AttackTarget target =
          new AttackTarget("helix serve", serve.port, "/admin/shutdown", "/health", List.of());

      AttackSuite.Report report = AttackSuite.run(target);
      count(report.tried(), report.refused());

      assertThat(report.failures()).isEmpty();
      assertThat(report.refused()).isEqualTo(report.tried()).isGreaterThanOrEqualTo(30);
      assertThat(target.stillAlive()).isTrue();
      // The route the attacks aimed at is live: a well-formed local call shuts the server down.
      RawHttp.Response legit =
          RawHttp.send(
              serve.port,
              "POST",
              "/admin/shutdown",
              List.of("Host: 127.0.0.1:" + serve.port, "Content-Type: application/json"),
              "{}");
      assertThat(legit.status()).isEqualTo(200);
      assertThat(serve.exits(30)).as("serve exits after a legitimate shutdown").isTrue();
    }
  }

  @Test
  void localNamesWithOrWithoutThePortAreAllowedAndNoAnswerGrantsCors() throws Exception {
    try (ServeProcess serve = ServeProcess.start(dir, "", Map.of())) {
      int port = serve.port;
      for (String host :
          List.of(
              "localhost",
              "localhost:" + port,
              "127.0.0.1",
              "127.0.0.1:" + port,
              "[::1]",
              "[::1]:" + port,
              "LocalHost:" + port)) {
        RawHttp.Response health =
            RawHttp.send(
                port,
                "GET",
                "/health",
                List.of("Host: " + host, "Origin: http://evil.example"),
                null);
        assertThat(health.status()).as("Host '%s'", host).isEqualTo(200);
        assertThat(health.body()).contains("\"service\":\"helix\"");
        assertThat(health.header("Access-Control-Allow-Origin"))
            .as("no CORS grant, never the reflected Origin")
            .isNull();
      }
      RawHttp.Response preflight =
          RawHttp.send(
              port,
              "OPTIONS",
              "/admin/shutdown",
              List.of(
                  "Host: localhost:" + port,
                  "Origin: http://evil.example",
                  "Access-Control-Request-Method: POST"),
              null);
      assertThat(preflight.header("Access-Control-Allow-Origin")).isNull();
      assertThat(preflight.header("Access-Control-Allow-Methods")).isNull();
      count(1, 1);
      assertThat(serve.process.isAlive()).isTrue();
    }
  }

  @Test
  void aNonLoopbackBindIsRefusedWithoutATokenAndProtectedWithOne() throws Exception {
    Files.writeString(dir.resolve("helix.toml"), "[server]\nhost = \"0.0.0.0\"\nport = 0\n");
    HelixRun.Result refused =
        HelixRun.run(dir, Map.of("HELIX_HOME", dir.resolve("home").toString()), "serve");
    assertThat(refused.exitCode()).isEqualTo(2);
    assertThat(refused.stderr()).contains("refusing to bind 0.0.0.0 without a token");
    count(1, 1);

    String token = "sk-test-attack-token-0123456789";
    try (ServeProcess serve =
        ServeProcess.start(dir, "host = \"0.0.0.0\"\n", Map.of("HELIX_TOKEN", token))) {
      AttackTarget target =
          new AttackTarget(
              "helix serve (token)",
              serve.port,
              "/admin/shutdown",
              "/health",
              List.of("Authorization: Bearer " + token));
      AttackSuite.Report report = AttackSuite.run(target);
      count(report.tried(), report.refused());
      assertThat(report.failures()).isEmpty();

      String host = "Host: 127.0.0.1:" + serve.port;
      for (List<String> credentials :
          List.of(
              List.<String>of(),
              List.of("Authorization: Bearer wrong"),
              List.of("Authorization: " + token),
              List.of("X-Helix-Token: " + token),
              List.of("Authorization: Bearer " + token + "x"))) {
        List<String> headers =
            new java.util.ArrayList<>(List.of(host, "Content-Type: application/json"));
        headers.addAll(credentials);
        RawHttp.Response answer =
            RawHttp.send(serve.port, "POST", "/admin/shutdown", headers, "{}");
        boolean ok =
            answer.status() == 401 && target.stillAlive() && !answer.body().contains(token);
        count(1, ok ? 1 : 0);
        assertThat(answer.status()).as("shutdown with %s", credentials).isEqualTo(401);
        assertThat(answer.body()).doesNotContain(token);
        assertThat(target.stillAlive()).isTrue();
      }
      assertThat(RawHttp.send(serve.port, "GET", "/health", List.of(host), null).status())
          .as("/health needs no token")
          .isEqualTo(200);
      RawHttp.Response legit =
          RawHttp.send(
              serve.port,
              "POST",
              "/admin/shutdown",
              List.of(host, "Content-Type: application/json", "Authorization: Bearer " + token),
              "{}");
      assertThat(legit.status()).isEqualTo(200);
      assertThat(serve.exits(30)).isTrue();
    }
  }

  @Test
  void everyAttackOnTheLauncherControlApiIsRefusedAndLeavesItsServerRunning() throws Exception {
    int[] ports = dev.helix.testing.ChildJvm.freePorts(2);
    int serverPort = ports[0];
    int launcherPort = ports[1];
    Files.writeString(
        dir.resolve("helix.toml"),
        "[server]\nport = "
            + serverPort
            + "\n[launcher]\nport = "
            + launcherPort
            + "\nstart_wait = 90\n[headroom]\nenabled = false\n");
    ProcessBuilder builder =
        new ProcessBuilder(HelixRun.command("launcher")).directory(dir.toFile());
    builder
        .environment()
        .keySet()
        .removeIf(k -> k.startsWith("HELIX_") || k.equals("OPENAI_TARGET_API_URL"));
    builder.environment().put("HELIX_HOME", dir.resolve("home").toString());
    builder
        .redirectOutput(dir.resolve("launcher.stdout").toFile())
        .redirectError(dir.resolve("launcher.stderr").toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process launcher = builder.start();
    try {
      Path tokenFile = dir.resolve("home/launcher/session.token");
      AttackTarget server =
          new AttackTarget("helix serve", serverPort, "/admin/shutdown", "/health", List.of());
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(120);
      while (!(Files.exists(tokenFile) && server.stillAlive())) {
        assertThat(launcher.isAlive()).as("the launcher runs; stderr: %s", stderr()).isTrue();
        assertThat(System.nanoTime())
            .as("the launcher's server is up within 120 s")
            .isLessThan(deadline);
        Thread.sleep(100);
      }
      String session = "X-Helix-Session: " + Files.readString(tokenFile).trim();
      AttackTarget target =
          new AttackTarget(
              "helix launcher",
              launcherPort,
              "/api/control/stop",
              serverPort,
              "/health",
              List.of(session),
              List.of("/", "/api/state"));

      AttackSuite.Report report = AttackSuite.run(target);
      count(report.tried(), report.refused());
      assertThat(report.failures()).isEmpty();
      assertThat(report.refused()).isEqualTo(report.tried()).isGreaterThanOrEqualTo(40);

      // Without the session token, or with a wrong one, a well-formed local request still gets 401.
      String host = "Host: 127.0.0.1:" + launcherPort;
      for (List<String> credentials :
          List.of(
              List.<String>of(),
              List.of("X-Helix-Session: 00"),
              List.of("Authorization: Bearer " + session.substring(session.indexOf(' ') + 1)))) {
        List<String> headers =
            new java.util.ArrayList<>(List.of(host, "Content-Type: application/json"));
        headers.addAll(credentials);
        for (String action : List.of("stop", "restart", "shutdown")) {
          RawHttp.Response answer =
              RawHttp.send(launcherPort, "POST", "/api/control/" + action, headers, "{}");
          boolean ok = answer.status() == 401 && server.stillAlive() && launcher.isAlive();
          count(1, ok ? 1 : 0);
          assertThat(answer.status()).as("%s with %s", action, credentials).isEqualTo(401);
          assertThat(server.stillAlive()).isTrue();
        }
      }
      // A request cannot choose what is run: an unknown target is refused, whatever the token.
      RawHttp.Response chosen =
          RawHttp.send(
              launcherPort,
              "POST",
              "/api/control/start?target=/bin/sh",
              List.of(host, "Content-Type: application/json", session),
              "{\"command\": [\"/bin/sh\"]}");
      count(1, chosen.status() == 400 ? 1 : 0);
      assertThat(chosen.status()).isEqualTo(400);
      assertThat(RawHttp.send(launcherPort, "GET", "/api/state", List.of(host), null).body())
          .as("the state never carries the session token")
          .doesNotContain(session.substring(session.indexOf(' ') + 1));

      // The route the attacks aimed at is live: with the token and a local Host, stop stops the
      // server.
      RawHttp.Response legit =
          RawHttp.send(
              launcherPort,
              "POST",
              "/api/control/stop",
              List.of(host, "Content-Type: application/json", session),
              "{}");
      assertThat(legit.status()).isEqualTo(200);
      assertThat(server.stillAlive()).as("the server stopped on a legitimate request").isFalse();
      RawHttp.send(
          launcherPort,
          "POST",
          "/api/control/shutdown",
          List.of(host, "Content-Type: application/json", session),
          "{}");
      assertThat(launcher.waitFor(30, java.util.concurrent.TimeUnit.SECONDS))
          .as("the launcher shuts down")
          .isTrue();
    } finally {
      // Whatever a failed test left running: the launcher (which stops its server), then the
      // server.
      List<ProcessHandle> children = launcher.descendants().toList();
      launcher.destroy();
      if (!launcher.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
        launcher.destroyForcibly();
      }
      children.forEach(ProcessHandle::destroyForcibly);
    }
  }

  private String stderr() {
    try {
      return Files.readString(dir.resolve("launcher.stderr"));
    } catch (java.io.IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  private static void count(int tried, int refused) {
    TRIED.addAndGet(tried);
    REFUSED.addAndGet(refused);
  }
}
