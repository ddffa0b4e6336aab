package dev.helix.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Fuzz target for the routing decision of docs/routing.md: for any upstream string, Headroom
 * host:port and switch, the decision never throws, always carries one of the seven reasons, and
 * routes only an http/https upstream whose host is not loopback. The loopback and scheme checks
 * here are an independent reading of the spec, not the code's.
 */
class RoutingFuzzTest {
  private static final Pattern LOOPBACK_V4 =
      Pattern.compile("127\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}");

  @FuzzTest
  void anyUpstreamGetsOneOfTheSevenReasonsAndOnlyRemoteHttpIsRouted(FuzzedDataProvider data) {
    Boolean envSwitch =
        switch (data.consumeInt(0, 2)) {
          case 0 -> null;
          case 1 -> Boolean.TRUE;
          default -> Boolean.FALSE;
        };
    boolean configOn = data.consumeBoolean();
    int headroomPort = data.consumeInt(0, 65535);
    String headroomHost = data.consumeString(60);
    String upstream = data.consumeRemainingAsString();
    HeadroomConfig headroom =
        new HeadroomConfig(
            false,
            true,
            headroomHost,
            headroomPort,
            HeadroomMode.TOKEN,
            "/dashboard",
            configOn,
            List.of("headroom", "proxy"),
            List.of(),
            Duration.ofSeconds(2));

    Routing routing = Routing.decide(upstream, headroom, envSwitch);

    assertThat(routing.reason()).isIn((Object[]) RoutingReason.values());
    assertThat(routing.asMap())
        .containsKeys("route_via_headroom", "reason", "server_upstream", "openai_target_api_url");
    if (Boolean.FALSE.equals(envSwitch)) {
      assertThat(routing.reason()).isEqualTo(RoutingReason.ENV_FORCED_OFF);
    } else if (envSwitch == null && !configOn) {
      assertThat(routing.reason()).isEqualTo(RoutingReason.CONFIG_OFF);
    }
    switch (routing) {
      case Routing.Direct direct -> {
        assertThat(direct.serverUpstream())
            .as("direct keeps the user's upstream as given")
            .isEqualTo(upstream);
        assertThat(routing.serverEnvironment(java.util.Map.of())).isEmpty();
      }
      case Routing.Routed routed -> {
        String scheme = schemeOf(upstream);
        assertThat(scheme)
            .as("routed upstream '%s' is http or https", upstream)
            .isIn("http", "https");
        String host = hostOf(upstream);
        assertThat(host).as("routed upstream '%s' has a host", upstream).isNotEmpty();
        assertThat(isLoopback(host)).as("routed upstream '%s' is not loopback", upstream).isFalse();
        assertThat(routed.headroomUrl()).isEqualTo(headroom.baseUrl());
        assertThat(routed.target()).doesNotEndWith("/");
        assertThat(routed.reason()).isIn(RoutingReason.ENV_FORCED_ON, RoutingReason.CONFIG_ON);
      }
    }
  }

  private static String schemeOf(String url) {
    String s = url.trim();
    int colon = s.indexOf(':');
    return colon < 0 ? "" : s.substring(0, colon).toLowerCase(Locale.ROOT);
  }

  /** The host of {@code scheme://[userinfo@]host[:port][/...]}, without IPv6 brackets. */
  private static String hostOf(String url) {
    String s = url.trim();
    int start = s.indexOf("://");
    if (start < 0) {
      return "";
    }
    String authority = s.substring(start + 3).split("[/?#]", 2)[0];
    authority = authority.substring(authority.lastIndexOf('@') + 1);
    if (authority.startsWith("[")) {
      int end = authority.indexOf(']');
      return end < 0 ? authority : authority.substring(1, end);
    }
    int colon = authority.lastIndexOf(':');
    return colon < 0 ? authority : authority.substring(0, colon);
  }

  private static boolean isLoopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    return h.equals("localhost") || h.equals("::1") || LOOPBACK_V4.matcher(h).matches();
  }
}
