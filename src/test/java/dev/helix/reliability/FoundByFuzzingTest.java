package dev.helix.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.Headers;
import dev.helix.config.ConfigException;
import dev.helix.config.ConfigLoader;
import dev.helix.http.LocalGuard;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bugs the reliability suites found in round 1, each pinned by the input that showed it (the
 * fuzz corpus replays them too; these say in words what a user would have seen).
 */
class FoundByFuzzingTest {
  @TempDir Path dir;

  private ConfigException loadFails(byte[] toml) throws Exception {
    Path file = dir.resolve("helix.toml");
    Files.write(file, toml);
    ConfigLoader loader = new ConfigLoader(Map.of(), dir, dir);
    return (ConfigException)
        org.assertj.core.api.Assertions.catchThrowable(() -> loader.load(file));
  }

  @Test
  void aNulInTheStorePathIsAConfigErrorWithLineAndColumnNotACrash() throws Exception {
    ConfigException e = loadFails("[store]\npath = \"a\\u0000b\"\n".getBytes());

    assertThat(e).isNotNull();
    assertThat(e.getMessage())
        .contains("helix.toml:2:1")
        .contains("store.path")
        .contains("not a usable path");
  }

  @Test
  void aFileThatIsNotUtf8IsNamedAsSuchWithLineAndColumnNotAsAPermissionProblem() throws Exception {
    ConfigException e =
        loadFails(new byte[] {'[', 's', 'e', 'r', 'v', 'e', 'r', ']', '\n', 'h', '=', (byte) 0xff});

    assertThat(e).isNotNull();
    assertThat(e.getMessage())
        .contains("helix.toml:2:3")
        .contains("not valid UTF-8")
        .contains("0xff")
        .doesNotContain("permissions");
  }

  @Test
  void aMistypedTokenIsReportedWithoutItsValue() throws Exception {
    ConfigException e = loadFails("[server]\ntoken = [\"sk-test-secret-123\"]\n".getBytes());

    assertThat(e.getMessage())
        .contains("helix.toml:2:1")
        .contains("server.token must be a string")
        .doesNotContain("sk-test-secret-123");
  }

  @Test
  void hostHeadersThatOnlyStartWithALocalNameAreRefused() {
    LocalGuard guard = new LocalGuard("127.0.0.1", List.of("kite.internal"));
    for (String host :
        List.of(
            "localhost:evil",
            "localhost:80:90",
            "[::1]evil.example",
            "[::1]:8o",
            "l\u00f6calhost",
            "localhost\0\u0011:",
            "localhost :80",
            "[::1 ]")) {
      Headers headers = new Headers();
      headers.set("Host", host);
      Optional<LocalGuard.Rejection> rejection = guard.check("GET", headers, false, 11437);
      assertThat(rejection)
          .as("Host '%s'", host)
          .hasValueSatisfying(r -> assertThat(r.status()).isEqualTo(403));
    }
    for (String host :
        List.of(
            "localhost",
            "localhost:",
            "localhost:11437",
            "[::1]:11437",
            "::1",
            "KITE.internal:1")) {
      Headers headers = new Headers();
      headers.set("Host", host);
      assertThat(guard.check("GET", headers, false, 11437)).as("Host '%s'", host).isEmpty();
    }
  }

  @Test
  void theConfigLoaderStillLoadsAPlainFile() throws Exception {
    Path file = dir.resolve("helix.toml");
    Files.writeString(file, "[store]\npath = \"~/notes store\"\n[server]\ntoken = \"t\"\n");

    assertThat(new ConfigLoader(Map.of(), dir, dir).load(file).config().store().path())
        .isEqualTo(dir.resolve("notes store"));
    assertThatThrownBy(() -> new ConfigLoader(Map.of(), dir, dir).load(dir.resolve("missing.toml")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("missing.toml");
  }
}
