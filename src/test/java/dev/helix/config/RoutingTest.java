package dev.helix.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RoutingTest {
  @TempDir Path dir;

  private Routing decide(String toml, Map<String, String> env) throws Exception {
    Files.writeString(dir.resolve("helix.toml"), toml);
    return new ConfigLoader(env, dir, dir).load(null).config().routing();
  }

  private static String remote(boolean route) {
    return "[server]\nupstream = \"https://api.openai.com/v1/\"\n[headroom]\nroute_upstream = "
        + route
        + "\n";
  }

  @Test
  void remoteUpstreamWithRouteUpstreamOffStaysDirectAndAddsNoVariables() throws Exception {
    Routing routing = decide(remote(false), Map.of());

    assertThat(routing.routeViaHeadroom()).isFalse();
    assertThat(routing.reason()).isEqualTo(RoutingReason.CONFIG_OFF);
    assertThat(routing.serverEnvironment(Map.of("PATH", "/bin")))
        .containsExactly(Map.entry("PATH", "/bin"));
    assertThat(routing.headroomEnvironment(Map.of())).isEmpty();
  }

  @Test
  void remoteUpstreamWithRouteUpstreamOnRoutesThroughHeadroom() throws Exception {
    Routing routing = decide(remote(true), Map.of());

    assertThat(routing.reason()).isEqualTo(RoutingReason.CONFIG_ON);
    assertThat(routing.serverEnvironment(Map.of()))
        .containsEntry("HELIX_SERVER_UPSTREAM", "http://127.0.0.1:8787")
        .containsEntry("OPENAI_TARGET_API_URL", "https://api.openai.com/v1");
    assertThat(routing.headroomEnvironment(Map.of()))
        .containsExactly(Map.entry("OPENAI_TARGET_API_URL", "https://api.openai.com/v1"));
    assertThat(routing.asMap())
        .containsEntry("route_via_headroom", true)
        .containsEntry("reason", "config_on")
        .containsEntry("server_upstream", "http://127.0.0.1:8787")
        .containsEntry("openai_target_api_url", "https://api.openai.com/v1");
  }

  @Test
  void envSwitchFalseForcesRoutingOffEvenWhenConfigOptedIn() throws Exception {
    Routing routing = decide(remote(true), Map.of("HELIX_HEADROOM_ROUTE_UPSTREAM_AUTO", "0"));

    assertThat(routing.routeViaHeadroom()).isFalse();
    assertThat(routing.reason()).isEqualTo(RoutingReason.ENV_FORCED_OFF);
  }

  @Test
  void envSwitchTrueForcesRoutingOnEvenWhenConfigDisabled() throws Exception {
    Routing routing = decide(remote(false), Map.of("HELIX_HEADROOM_ROUTE_UPSTREAM_AUTO", "1"));

    assertThat(routing.routeViaHeadroom()).isTrue();
    assertThat(routing.reason()).isEqualTo(RoutingReason.ENV_FORCED_ON);
  }

  @ParameterizedTest
  @CsvSource({
    "http://localhost:11434",
    "http://127.0.0.1:11434",
    "http://[::1]:11434",
    "http://LOCALHOST:11434",
    "http://127.5.6.7/v1"
  })
  void loopbackUpstreamsStayDirectEvenWithTheEnvSwitchOn(String upstream) throws Exception {
    Routing routing =
        decide(
            "[server]\nupstream = \"" + upstream + "\"\n[headroom]\nroute_upstream = true\n",
            Map.of("HELIX_HEADROOM_ROUTE_UPSTREAM_AUTO", "1"));

    assertThat(routing.reason()).isEqualTo(RoutingReason.LOOPBACK_UPSTREAM);
    assertThat(routing.serverUpstream()).isEqualTo(upstream);
  }

  @ParameterizedTest
  @CsvSource({
    "ftp://api.example.com/v1",
    "not a url",
    "api.openai.com/v1",
    "http:///v1",
    "''",
    "https://://",
    "http://:8080/v1",
    "https://@/v1"
  })
  void unparseableUpstreamStaysDirect(String upstream) throws Exception {
    Routing routing =
        decide(
            "[server]\nupstream = \"" + upstream + "\"\n[headroom]\nroute_upstream = true\n",
            Map.of());

    assertThat(routing.reason()).isEqualTo(RoutingReason.UNPARSEABLE_UPSTREAM);
    assertThat(routing.routeViaHeadroom()).isFalse();
  }

  @Test
  void upstreamThatIsHeadroomItselfIsNotRoutedTwice() throws Exception {
    Routing routing =
        decide(
            "[server]\nupstream = \"http://proxy.internal:8787/v1\"\n"
                + "[headroom]\nroute_upstream = true\nhost = \"proxy.internal\"\n",
            Map.of());

    assertThat(routing.reason()).isEqualTo(RoutingReason.UPSTREAM_IS_HEADROOM);
  }

  @Test
  void defaultPortsCountWhenComparingWithHeadroom() throws Exception {
    Routing routing =
        decide(
            "[server]\nupstream = \"https://gw.example.com\"\n"
                + "[headroom]\nroute_upstream = true\nhost = \"GW.example.com\"\nport = 443\n",
            Map.of());

    assertThat(routing.reason()).isEqualTo(RoutingReason.UPSTREAM_IS_HEADROOM);
  }

  @Test
  void customHeadroomHostAndPortAreWhereTheServerIsSent() throws Exception {
    Routing routing =
        decide(
            "[server]\nupstream = \"https://api.openai.com/v1\"\n"
                + "[headroom]\nroute_upstream = true\nhost = \"10.0.0.5\"\nport = 9000\n",
            Map.of());

    assertThat(routing.serverEnvironment(Map.of()))
        .containsEntry("HELIX_SERVER_UPSTREAM", "http://10.0.0.5:9000");
  }

  @Test
  void upperCaseSchemeAndHostAreStillRemote() throws Exception {
    Routing routing =
        decide(
            "[server]\nupstream = \"HTTPS://API.OPENAI.COM/v1\"\n[headroom]\nroute_upstream = true\n",
            Map.of());

    assertThat(routing.routeViaHeadroom()).isTrue();
    assertThat(routing.openaiTargetApiUrl()).isEqualTo("HTTPS://API.OPENAI.COM/v1");
  }

  @Test
  void usersOwnServerUpstreamIsKeptWhenRoutingIsOff() throws Exception {
    Map<String, String> env =
        new HashMap<>(Map.of("HELIX_SERVER_UPSTREAM", "https://api.mistral.ai/v1"));
    Routing routing = decide(remote(false), env);

    assertThat(routing.serverEnvironment(env))
        .containsEntry("HELIX_SERVER_UPSTREAM", "https://api.mistral.ai/v1");
    assertThat(routing.serverUpstream()).isEqualTo("https://api.mistral.ai/v1");
  }

  @ParameterizedTest(name = "[{index}] \"{0}\" -> {1}")
  @CsvSource(
      value = {
        "<unset>,config",
        "'',config",
        "1,on",
        "true,on",
        "TRUE,on",
        "' yes ',on",
        "on,on",
        "0,off",
        "false,off",
        "no,off",
        "off,off",
        "garbage,off"
      },
      nullValues = "<unset>")
  void theEnvSwitchIsTriState(String value, String expected) throws Exception {
    Map<String, String> env = new HashMap<>();
    if (value != null) {
      env.put("HELIX_HEADROOM_ROUTE_UPSTREAM_AUTO", value);
    }
    Files.writeString(dir.resolve("helix.toml"), remote(false));
    ConfigLoader.Loaded loaded = new ConfigLoader(env, dir, dir).load(null);
    Routing routing = loaded.config().routing();

    RoutingReason reason =
        switch (expected) {
          case "config" -> RoutingReason.CONFIG_OFF;
          case "on" -> RoutingReason.ENV_FORCED_ON;
          default -> RoutingReason.ENV_FORCED_OFF;
        };
    assertThat(routing.reason()).isEqualTo(reason);
    if ("garbage".equals(value)) {
      assertThat(loaded.warnings())
          .anySatisfy(w -> assertThat(w).contains("HELIX_HEADROOM_ROUTE_UPSTREAM_AUTO"));
    } else {
      assertThat(loaded.warnings()).isEmpty();
    }
  }
}
