package dev.helix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helix.testing.HelixRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code helix config} as a user runs it: a child process, its stdout, stderr and exit status. */
class ConfigCommandIT {
  @TempDir Path dir;

  private final ObjectMapper mapper = new ObjectMapper();

  private JsonNode configJson(String toml, Map<String, String> env) throws Exception {
    Files.writeString(dir.resolve("helix.toml"), toml);
    Map<String, String> full = new HashMap<>(env);
    full.put("HELIX_HOME", dir.resolve("home").toString());
    HelixRun.Result result = HelixRun.run(dir, full, "config", "--json");
    assertThat(result.exitCode()).as(result.stderr()).isZero();
    return mapper.readTree(result.stdout());
  }

  @Test
  void jsonHasEverySettingWithItsSourceAndTheRoutingObject() throws Exception {
    JsonNode json =
        configJson(
            "[server]\nupstream = \"https://api.openai.com/v1\"\n",
            Map.of("HELIX_TOKEN", "sk-test-secret"));

    assertThat(json.fieldNames()).toIterable().containsExactly("settings", "routing");
    assertThat(json.at("/settings/server.upstream/value").asText())
        .isEqualTo("https://api.openai.com/v1");
    assertThat(json.at("/settings/server.upstream/source").asText()).endsWith("helix.toml:2");
    assertThat(json.at("/settings/server.port/source").asText()).isEqualTo("default");
    assertThat(json.at("/settings/server.token/value").asText()).isEqualTo("***");
    assertThat(json.at("/settings/server.token/source").asText()).isEqualTo("env:HELIX_TOKEN");
    assertThat(json.toString()).doesNotContain("sk-test-secret");
    assertThat(json.at("/routing/route_via_headroom").asBoolean()).isFalse();
    assertThat(json.at("/routing/reason").asText()).isEqualTo("config_off");
    assertThat(json.at("/routing/server_upstream").asText()).isEqualTo("https://api.openai.com/v1");
    assertThat(json.at("/routing/openai_target_api_url").isNull()).isTrue();
  }

  @Test
  void routingScenariosHoldBlackBox() throws Exception {
    String remoteOn =
        "[server]\nupstream = \"https://api.openai.com/v1/\"\n[headroom]\nroute_upstream = true\n";
    String remoteOff = "[server]\nupstream = \"https://api.openai.com/v1/\"\n";

    JsonNode on = configJson(remoteOn, Map.of());
    assertThat(on.at("/routing/reason").asText()).isEqualTo("config_on");
    assertThat(on.at("/routing/server_upstream").asText()).isEqualTo("http://127.0.0.1:8787");
    assertThat(on.at("/routing/openai_target_api_url").asText())
        .isEqualTo("https://api.openai.com/v1");

    assertThat(
            configJson(remoteOn, Map.of("HELIX_HEADROOM_ROUTE_UPSTREAM_AUTO", "0"))
                .at("/routing/reason")
                .asText())
        .isEqualTo("env_forced_off");
    assertThat(
            configJson(remoteOff, Map.of("HELIX_HEADROOM_ROUTE_UPSTREAM_AUTO", "1"))
                .at("/routing/reason")
                .asText())
        .isEqualTo("env_forced_on");
    assertThat(
            configJson(
                    "[server]\nupstream = \"http://[::1]:11434\"\n",
                    Map.of("HELIX_HEADROOM_ROUTE_UPSTREAM_AUTO", "1"))
                .at("/routing/reason")
                .asText())
        .isEqualTo("loopback_upstream");
    assertThat(
            configJson(
                    "[server]\nupstream = \"nonsense\"\n[headroom]\nroute_upstream = true\n",
                    Map.of())
                .at("/routing/reason")
                .asText())
        .isEqualTo("unparseable_upstream");
  }

  @Test
  void malformedFileExitsTwoNamingFileLineAndColumn() throws Exception {
    Files.writeString(
        dir.resolve("helix.toml"), "[server]\nport = \"x\"\n[headroom]\nmode = \"fast\"\n");

    HelixRun.Result result =
        HelixRun.run(dir, Map.of("HELIX_HOME", dir.toString()), "config", "--json");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.stdout()).isEmpty();
    assertThat(result.stderr())
        .contains("helix.toml:2:1")
        .contains("helix.toml:4:1")
        .contains("use one of token, cache");
  }

  @Test
  void unknownKeyWarnsOnStderrAndStdoutStaysOneJsonDocument() throws Exception {
    Files.writeString(dir.resolve("helix.toml"), "[server]\nupstrem = \"x\"\n");

    HelixRun.Result result =
        HelixRun.run(dir, Map.of("HELIX_HOME", dir.toString()), "config", "--json");

    assertThat(result.exitCode()).isZero();
    assertThat(result.stderr()).contains("did you mean server.upstream?");
    assertThat(mapper.readTree(result.stdout()).has("settings")).isTrue();
  }

  @Test
  void humanOutputShowsSourcesAndTheRoutingReason() throws Exception {
    Files.writeString(dir.resolve("helix.toml"), "[server]\nport = 12000\n");

    HelixRun.Result result =
        HelixRun.run(
            dir,
            Map.of(
                "HELIX_HOME",
                dir.toString(),
                "HELIX_SERVER_UPSTREAM",
                "https://api.example.com/v1"),
            "config");

    assertThat(result.stdout())
        .containsPattern("server.port\\s+= 12000\\s+\\(.*helix.toml:2\\)")
        .contains("(env:HELIX_SERVER_UPSTREAM)")
        .contains("routing: direct (config_off");
  }

  @Test
  void versionAndHelpWork() throws Exception {
    HelixRun.Result version = HelixRun.run(dir, Map.of(), "--version");
    HelixRun.Result help = HelixRun.run(dir, Map.of(), "--help");
    HelixRun.Result bad = HelixRun.run(dir, Map.of(), "--no-such-flag");

    assertThat(version.stdout()).startsWith("helix ");
    assertThat(help.stdout()).contains("Usage: helix").contains("config");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.stderr()).contains("--no-such-flag");
  }

  @Test
  void helpLoadsNothingACommandWouldNeedOnlyToRun() throws Exception {
    // --help took 3.2 s on a user's machine: listing the commands built a JSON mapper for status.
    List<String> command = new ArrayList<>(HelixRun.command("--help"));
    command.add(1, "-Xlog:class+load=info:file=" + dir.resolve("classes.txt"));
    Process help =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("help.txt").toFile())
            .start();
    assertThat(help.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

    assertThat(Files.readString(dir.resolve("help.txt"))).contains("Usage: helix");
    List<String> loaded = Files.readAllLines(dir.resolve("classes.txt"));
    // Reading the commands' method signatures loads the few Jackson types they name (about a
    // dozen);
    // a mapper loads about 400.
    assertThat(loaded.stream().filter(line -> line.contains(" com.fasterxml.jackson.")))
        .as("Jackson classes")
        .hasSizeLessThan(30);
    assertThat(loaded)
        .as("classes --help loaded")
        .noneMatch(line -> line.contains(" org.apache.lucene."))
        .noneMatch(line -> line.contains(" dev.helix.launcher.Launcher "));
  }
}
