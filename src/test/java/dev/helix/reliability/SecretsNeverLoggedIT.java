package dev.helix.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.helix.testing.HelixRun;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/security.md "secrets never appear in logs or error bodies": a recognisable test key given as
 * HELIX_TOKEN, in helix.toml, and sent in requests, is found zero times in stdout, stderr, answer
 * bodies or any file under HELIX_HOME.
 */
class SecretsNeverLoggedIT {
  private final String key = "sk-test-LEAKCHECK-" + HexFormat.of().formatHex(randomBytes());

  @TempDir Path dir;

  @Test
  void theTokenAppearsNowhereAfterServeAndConfigRunWithItAndBadRequestsCarryIt() throws Exception {
    List<String> seen = new ArrayList<>();
    Map<String, String> env =
        Map.of("HELIX_TOKEN", key, "HELIX_HOME", dir.resolve("home").toString());

    for (String[] args : List.of(new String[] {"config"}, new String[] {"config", "--json"})) {
      HelixRun.Result result = HelixRun.run(dir, env, args);
      assertThat(result.exitCode()).as(result.stderr()).isZero();
      seen.add(result.stdout());
      seen.add(result.stderr());
    }

    try (ServeProcess serve = ServeProcess.start(dir, "", Map.of("HELIX_TOKEN", key))) {
      int port = serve.port;
      String bearer = "Authorization: Bearer " + key;
      String host = "Host: 127.0.0.1:" + port;
      List<List<String>> badRequests =
          List.of(
              List.of("Host: evil.example", bearer),
              List.of(
                  host, bearer, "Origin: http://evil.example", "Content-Type: application/json"),
              List.of(host, bearer, "Content-Type: text/plain"),
              List.of(
                  host,
                  "Authorization: Bearer " + key + "-wrong",
                  "Content-Type: application/json"),
              List.of(host, "Authorization: " + key, "Content-Type: application/json"),
              List.of(host, "X-Helix-Token: " + key, "Content-Type: application/json"));
      for (List<String> headers : badRequests) {
        RawHttp.Response answer =
            RawHttp.send(
                port, "POST", "/admin/shutdown?token=" + key, headers, "{\"k\":\"" + key + "\"}");
        assertThat(answer.status()).as("%s", headers).isBetween(400, 499);
        seen.add(answer.headers().toString());
        seen.add(answer.body());
      }
      RawHttp.Response notFound =
          RawHttp.send(port, "GET", "/no/such/" + key, List.of(host, bearer), null);
      assertThat(notFound.status()).isEqualTo(404);
      seen.add(
          notFound
              .body()
              .replace(
                  "/no/such/" + key, "/no/such/<path>")); // the 404 names the path the caller chose
      RawHttp.Response health = RawHttp.send(port, "GET", "/health", List.of(host, bearer), null);
      seen.add(health.body());
      RawHttp.Response shutdown =
          RawHttp.send(
              port,
              "POST",
              "/admin/shutdown",
              List.of(host, bearer, "Content-Type: application/json"),
              "{}");
      assertThat(shutdown.status()).isEqualTo(200);
      assertThat(serve.exits(30)).isTrue();
      seen.add(serve.stdoutText());
      seen.add(serve.stderrText());
    }

    seen.addAll(filesUnder(dir.resolve("home")));
    assertThat(String.join("\n", seen)).doesNotContain(key).doesNotContain("LEAKCHECK");
  }

  @Test
  void aTokenWrittenWithTheWrongTypeIsNotEchoedInTheConfigError() throws Exception {
    Files.writeString(dir.resolve("helix.toml"), "[server]\ntoken = [\"" + key + "\"]\n");

    HelixRun.Result result =
        HelixRun.run(dir, Map.of("HELIX_HOME", dir.resolve("home").toString()), "config");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.stderr()).contains("helix.toml:2:1").contains("server.token");
    assertThat(result.stdout() + result.stderr()).doesNotContain(key);
  }

  private static List<String> filesUnder(Path root) throws java.io.IOException {
    if (!Files.exists(root)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(root)) {
      List<String> texts = new ArrayList<>();
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        texts.add(file + ":" + new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
      }
      return texts;
    }
  }

  private static byte[] randomBytes() {
    byte[] bytes = new byte[8];
    ThreadLocalRandom.current().nextBytes(bytes);
    return bytes;
  }
}
