package dev.helix.launcher;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the launcher refuses before it binds anything: two of its listeners on one port. */
class LauncherConfigCheckTest {
  @TempDir Path dir;
  Fixture fixture;

  @BeforeEach
  void setUp() throws Exception {
    fixture = new Fixture(dir);
  }

  @AfterEach
  void tearDown() throws Exception {
    fixture.close();
  }

  @Test
  void theDefaultPortsOfTheFixturePass() {
    assertThatCode(() -> Launcher.checkConfig(fixture.config())).doesNotThrowAnyException();
  }

  @Test
  void launcherAndServerOnOnePortAreRefusedNamingBothKeys() {
    fixture.set("launcher.port", Integer.toString(fixture.serverPort));
    assertThatThrownBy(() -> Launcher.checkConfig(fixture.config()))
        .isInstanceOf(Launcher.StartFailure.class)
        .hasMessage(
            "[server] port and [launcher] port are both "
                + fixture.serverPort
                + "; each needs a port of its own: set one of them to another free port");
  }

  @Test
  void portZeroIsAFreshPortForEachListenerSoItNeverClashes() {
    fixture.set("server.port", "0").set("launcher.port", "0");
    assertThatCode(() -> Launcher.checkConfig(fixture.config())).doesNotThrowAnyException();
  }

  @Test
  void aWildcardBindOverlapsLoopbackButTwoDifferentAddressesDoNot() throws Exception {
    fixture
        .set("launcher.port", Integer.toString(fixture.serverPort))
        .set("server.host", "\"0.0.0.0\"")
        .set("server.token", "\"secret-token-for-the-test\"");
    assertThatThrownBy(() -> Launcher.checkConfig(fixture.config()))
        .hasMessageContaining("are both");

    fixture.set("server.host", "\"127.0.0.1\"").set("launcher.host", "\"127.0.0.2\"");
    assertThatCode(() -> Launcher.checkConfig(fixture.config()))
        .as("127.0.0.2 is its own address")
        .doesNotThrowAnyException();
  }

  @Test
  void headroomsPortCountsOnlyWhenTheLauncherManagesHeadroom() throws Exception {
    fixture
        .set("headroom.port", Integer.toString(fixture.serverPort))
        .set("headroom.enabled", "false");
    assertThatCode(() -> Launcher.checkConfig(fixture.config())).doesNotThrowAnyException();

    fixture.set("headroom.enabled", "true");
    assertThatThrownBy(() -> Launcher.checkConfig(fixture.config()))
        .hasMessageStartingWith("[server] port and [headroom] port are both " + fixture.serverPort);
  }
}
