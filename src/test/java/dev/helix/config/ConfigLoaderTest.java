package dev.helix.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path cwd;
  @TempDir Path home;

  private ConfigLoader.Loaded load(Map<String, String> env) throws ConfigException {
    return new ConfigLoader(env, cwd, home).load(null);
  }

  private Path write(String name, String toml) throws Exception {
    Path file = cwd.resolve(name);
    Files.writeString(file, toml);
    return file;
  }

  @Test
  void noFileMeansEveryDefaultOfTheSpec() throws Exception {
    HelixConfig config = load(Map.of()).config();

    assertThat(config.configFile()).isEmpty();
    assertThat(config.server().baseUrl()).isEqualTo("http://127.0.0.1:11437");
    assertThat(config.server().upstream()).isEqualTo("http://localhost:11434");
    assertThat(config.server().upstreamTimeout()).isEqualTo(Duration.ofSeconds(180));
    assertThat(config.server().maxBodyBytes()).isEqualTo(33_554_432L);
    assertThat(config.server().hasToken()).isFalse();
    assertThat(config.store().path()).isEqualTo(home.resolve(".helix/store"));
    assertThat(config.store().maxFileBytes()).isEqualTo(2_097_152L);
    assertThat(config.budget()).isEqualTo(new BudgetConfig(6000, 8, false));
    assertThat(config.launcher().baseUrl()).isEqualTo("http://127.0.0.1:11438");
    assertThat(config.launcher().startWait()).isEqualTo(Duration.ofSeconds(15));
    assertThat(config.headroom().startArguments())
        .containsExactly(
            "headroom",
            "proxy",
            "--host",
            "127.0.0.1",
            "--port",
            "8787",
            "--mode",
            "token",
            "--no-rate-limit");
    assertThat(config.headroom().compressTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.settings().byKey().values())
        .allSatisfy(s -> assertThat(s.source()).isEqualTo("default"));
  }

  @Test
  void localHelixTomlIsReadAndEachValueRemembersItsLine() throws Exception {
    Path file =
        write("helix.toml", "# comment\n[server]\nport = 9999\n\n[budget]\nmax_chunks = 3\n");

    HelixConfig config = load(Map.of()).config();

    assertThat(config.server().port()).isEqualTo(9999);
    assertThat(config.budget().maxChunks()).isEqualTo(3);
    assertThat(config.settings().sourceOf("server.port")).isEqualTo(file.toAbsolutePath() + ":3");
    assertThat(config.settings().sourceOf("budget.max_chunks"))
        .isEqualTo(file.toAbsolutePath() + ":6");
    assertThat(config.settings().sourceOf("server.host")).isEqualTo("default");
  }

  @Test
  void helixConfigVariableWinsOverLocalFile() throws Exception {
    write("helix.toml", "[server]\nport = 1\n");
    Path other = write("other.toml", "[server]\nport = 2\n");

    HelixConfig config = load(Map.of("HELIX_CONFIG", other.toString())).config();

    assertThat(config.server().port()).isEqualTo(2);
    assertThat(config.settings().sourceOf("config.file")).isEqualTo("env:HELIX_CONFIG");
  }

  @Test
  void explicitConfigWinsOverTheVariable() throws Exception {
    Path explicit = write("explicit.toml", "[server]\nport = 3\n");
    Path other = write("other.toml", "[server]\nport = 2\n");

    HelixConfig config =
        new ConfigLoader(Map.of("HELIX_CONFIG", other.toString()), cwd, home)
            .load(explicit)
            .config();

    assertThat(config.server().port()).isEqualTo(3);
  }

  @Test
  void namedFileThatDoesNotExistIsAnError() {
    assertThatThrownBy(
            () -> new ConfigLoader(Map.of(), cwd, home).load(cwd.resolve("missing.toml")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("missing.toml")
        .hasMessageContaining("--config");
    assertThatThrownBy(() -> load(Map.of("HELIX_CONFIG", "nope.toml")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("HELIX_CONFIG");
  }

  @Test
  void malformedFileNamesFileLineAndColumnAndNeverFallsBack() throws Exception {
    Path file = write("helix.toml", "[server]\nport = = 3\n");

    assertThatThrownBy(() -> load(Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(file.toAbsolutePath() + ":2:");
  }

  @Test
  void everyErrorOfTheFileIsReportedTogetherWithPositions() throws Exception {
    write(
        "helix.toml",
        "[server]\nport = \"eleven\"\nlearn = 1\n[headroom]\nmode = \"turbo\"\ncommand = [1, 2]\n");

    ConfigException e =
        org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class, () -> load(Map.of()));

    assertThat(e.problems()).hasSize(4);
    assertThat(e.problems().get(0))
        .contains("helix.toml:2:1")
        .contains("server.port must be an integer")
        .contains("the string \"eleven\"");
    assertThat(e.problems().get(1)).contains(":3:1").contains("server.learn must be true or false");
    assertThat(e.problems().get(2))
        .contains(":5:1")
        .contains("\"turbo\" is not allowed; use one of token, cache");
    assertThat(e.problems().get(3))
        .contains(":6:1")
        .contains("headroom.command must be an array of strings");
  }

  @Test
  void outOfRangeNumbersAreErrors() throws Exception {
    write(
        "helix.toml",
        "[server]\nport = 70000\nupstream_timeout = -1\n[budget]\ncontext_tokens = 0\n");

    ConfigException e =
        org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class, () -> load(Map.of()));

    assertThat(e.problems()).hasSize(3);
    assertThat(e.getMessage())
        .contains("port number from 0 to 65535")
        .contains("positive number of seconds")
        .contains("budget.context_tokens must be a positive integer");
  }

  @Test
  void unknownKeysAndSectionsWarnWithASuggestion() throws Exception {
    write(
        "helix.toml",
        "[server]\nprot = 1\n[stroe]\npath = \"x\"\n[budget]\nwhatever_this_is = 1\n");

    ConfigLoader.Loaded loaded = load(Map.of());

    assertThat(loaded.warnings()).hasSize(3);
    assertThat(loaded.warnings().get(0))
        .contains(":2:1")
        .contains("unknown key server.prot; did you mean server.port?");
    assertThat(loaded.warnings().get(1)).contains("unknown section [stroe]; did you mean [store]?");
    assertThat(loaded.warnings().get(2))
        .contains("budget.whatever_this_is")
        .contains("known keys: context_tokens, max_chunks");
  }

  @Test
  void environmentOverridesTheFileAndSaysSo() throws Exception {
    write(
        "helix.toml",
        "[server]\nupstream = \"https://file.example/v1\"\ntoken = \"file-token\"\n"
            + "[headroom]\nenabled = true\n");

    HelixConfig config =
        load(Map.of(
                "HELIX_SERVER_UPSTREAM", "https://env.example/v1",
                "HELIX_SERVER_UPSTREAM_TIMEOUT", "12.5",
                "HELIX_STORE_PATH", "rel/store",
                "HELIX_TOKEN", "secret-from-env",
                "HELIX_HEADROOM_ENABLED", "off",
                "HELIX_HEADROOM_AUTOSTART", "no",
                "HELIX_DISABLE_HEADROOM", " Yes ",
                "HELIX_HOME", "hh"))
            .config();

    assertThat(config.server().upstream()).isEqualTo("https://env.example/v1");
    assertThat(config.server().upstreamTimeout()).isEqualTo(Duration.ofMillis(12_500));
    assertThat(config.server().token()).isEqualTo("secret-from-env");
    assertThat(config.store().path()).isEqualTo(cwd.resolve("rel/store"));
    assertThat(config.home()).isEqualTo(cwd.resolve("hh"));
    assertThat(config.headroom().enabled()).isFalse();
    assertThat(config.headroom().autostart()).isFalse();
    assertThat(config.headroomBridgeDisabled()).isTrue();
    assertThat(config.settings().sourceOf("server.upstream"))
        .isEqualTo("env:HELIX_SERVER_UPSTREAM");
    assertThat(config.settings().sourceOf("headroom.enabled"))
        .isEqualTo("env:HELIX_HEADROOM_ENABLED");
    assertThat(config.settings().get("server.token").orElseThrow().value()).isEqualTo("***");
    assertThat(config.settings().toString()).doesNotContain("secret-from-env");
    assertThat(config.server().toString()).doesNotContain("secret-from-env");
  }

  @Test
  void upstreamTimeoutThatIsNotANumberWarnsAndIsIgnored() throws Exception {
    ConfigLoader.Loaded loaded = load(Map.of("HELIX_SERVER_UPSTREAM_TIMEOUT", "soon"));

    assertThat(loaded.config().server().upstreamTimeout()).isEqualTo(Duration.ofSeconds(180));
    assertThat(loaded.warnings())
        .singleElement()
        .asString()
        .contains("HELIX_SERVER_UPSTREAM_TIMEOUT='soon'")
        .contains("ignored");
  }

  @Test
  void relativeStorePathInAFileIsRelativeToThatFile() throws Exception {
    Path sub = Files.createDirectories(cwd.resolve("project"));
    Path file = sub.resolve("helix.toml");
    Files.writeString(file, "[store]\npath = \"data/store\"\n");

    HelixConfig config = new ConfigLoader(Map.of(), cwd, home).load(file).config();

    assertThat(config.store().path()).isEqualTo(sub.resolve("data/store").toAbsolutePath());
  }

  @Test
  void tildeInPathsMeansTheUsersHome() throws Exception {
    write("helix.toml", "[store]\npath = \"~/notes-store\"\n");

    assertThat(load(Map.of()).config().store().path()).isEqualTo(home.resolve("notes-store"));
  }

  @Test
  void floatSecondsAndIntegerSecondsAreBothAccepted() throws Exception {
    write(
        "helix.toml",
        "[launcher]\nstart_wait = 3\n[headroom]\ncompress_timeout = 0.5\nextra_args = []\n");

    HelixConfig config = load(Map.of()).config();

    assertThat(config.launcher().startWait()).isEqualTo(Duration.ofSeconds(3));
    assertThat(config.headroom().compressTimeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(config.headroom().extraArgs()).isEqualTo(List.of());
  }

  @Test
  void aFileGivenWithTheConfigOptionSaysSoAsItsSource() throws Exception {
    Path file = write("mine.toml", "[server]\nport = 9999\n");

    HelixConfig config = new ConfigLoader(Map.of(), cwd, home).load(file).config();

    assertThat(config.settings().sourceOf("config.file")).isEqualTo("--config");
    assertThat(config.settings().sourceOf("server.port")).isEqualTo(file.toAbsolutePath() + ":2");
  }

  @Test
  void theHomeFolderIsDollarHomeWhenSetLikeEveryCommandLineTool(@TempDir Path dollarHome)
      throws Exception {
    // The JVM's user.home comes from the password database and ignores $HOME.
    HelixConfig config =
        ConfigLoader.of(Map.of("HOME", dollarHome.toString()), cwd, "/passwd/home")
            .load(null)
            .config();

    assertThat(config.home()).isEqualTo(dollarHome.resolve(".helix"));
    assertThat(ConfigLoader.of(Map.of("HOME", ""), cwd, home.toString()).load(null).config().home())
        .as("an empty HOME is unset")
        .isEqualTo(home.resolve(".helix"));
  }
}
