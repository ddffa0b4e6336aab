package dev.helix.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/security.md on the launcher: Host, Origin, content type, then the session token, in that
 * order.
 */
class LauncherSecurityTest {
  @TempDir Path dir;
  Fixture fixture;

  @BeforeEach
  void start() throws Exception {
    fixture = new Fixture(dir);
    fixture.start(false);
  }

  @AfterEach
  void stop() throws Exception {
    fixture.close();
  }

  private String post(String host, String extraHeaders, String body) throws Exception {
    return "POST /api/control/stop HTTP/1.1\r\nHost: "
        + host
        + "\r\n"
        + extraHeaders
        + "Content-Length: "
        + body.length()
        + "\r\nConnection: close\r\n\r\n"
        + body;
  }

  @Test
  void aForeignHostIsRefusedEvenForReading() throws Exception {
    assertThat(
            fixture.raw(
                "GET /api/state HTTP/1.1\r\nHost: evil.example:"
                    + fixture.launcherPort
                    + "\r\nConnection: close\r\n\r\n"))
        .isEqualTo(403);
    assertThat(fixture.raw("GET / HTTP/1.1\r\nHost: \r\nConnection: close\r\n\r\n")).isEqualTo(403);
    assertThat(
            fixture.raw(
                post(
                    "rebind.example",
                    "X-Helix-Session: "
                        + fixture.token()
                        + "\r\nContent-Type: application/json\r\n",
                    "{}")))
        .isEqualTo(403);
  }

  @Test
  void aForeignOriginCannotChangeState() throws Exception {
    String token = "X-Helix-Session: " + fixture.token() + "\r\nContent-Type: application/json\r\n";
    assertThat(fixture.raw(post("127.0.0.1", "Origin: http://evil.example\r\n" + token, "{}")))
        .isEqualTo(403);
    assertThat(fixture.raw(post("127.0.0.1", "Origin: null\r\n" + token, "{}"))).isEqualTo(403);
    assertThat(fixture.raw(post("127.0.0.1", "Sec-Fetch-Site: cross-site\r\n" + token, "{}")))
        .isEqualTo(403);
  }

  @Test
  void aFormPostIsRefusedAsTheWrongContentType() throws Exception {
    assertThat(
            fixture.raw(
                post(
                    "127.0.0.1",
                    "X-Helix-Session: "
                        + fixture.token()
                        + "\r\nContent-Type: application/x-www-form-urlencoded\r\n",
                    "force=true")))
        .isEqualTo(415);
  }

  @Test
  void aMissingOrWrongSessionTokenIsRefused() throws Exception {
    assertThat(fixture.raw(post("127.0.0.1", "Content-Type: application/json\r\n", "{}")))
        .isEqualTo(401);
    assertThat(
            fixture.raw(
                post(
                    "127.0.0.1",
                    "X-Helix-Session: 00\r\nContent-Type: application/json\r\n",
                    "{}")))
        .isEqualTo(401);
  }

  @Test
  void theRefusalNamesTheSessionTokenFileWhereItReallyIs() throws Exception {
    HttpResponse<String> refused =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(
                            "http://127.0.0.1:" + fixture.launcher.port() + "/api/control/stop"))
                    .header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());

    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(refused.body()).contains(dir.resolve("home/launcher/session.token").toString());
  }

  @Test
  void theRightTokenFromTheOwnOriginReachesTheControl() throws Exception {
    String headers =
        "Origin: http://127.0.0.1:"
            + fixture.launcherPort
            + "\r\nX-Helix-Session: "
            + fixture.token()
            + "\r\nContent-Type: application/json\r\n";
    // Nothing runs (the server is not supervised in this test), so stop answers 409, not a refusal.
    assertThat(fixture.raw(post("localhost:" + fixture.launcherPort, headers, "{}")))
        .isEqualTo(409);
    assertThat(
            fixture.raw(
                "POST /api/control/stop HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Helix-Session: "
                    + fixture.token()
                    + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"))
        .as("an empty body needs no content type")
        .isEqualTo(409);
  }

  @Test
  void theQuestionBoxRoutesRefuseRequestsWithoutTheSessionToken() throws Exception {
    String question = "{\"query\": \"how are sessions expired?\"}";
    String post =
        "POST /api/context HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
            + question.length()
            + "\r\nConnection: close\r\n";
    assertThat(fixture.raw(post + "\r\n" + question)).as("no token").isEqualTo(401);
    assertThat(fixture.raw(post + "X-Helix-Session: 00\r\n\r\n" + question))
        .as("wrong token")
        .isEqualTo(401);
    assertThat(
            fixture.raw(
                post
                    + "Origin: http://evil.example\r\nX-Helix-Session: "
                    + fixture.token()
                    + "\r\n\r\n"
                    + question))
        .as("a foreign page, even with the token")
        .isEqualTo(403);
    String get =
        "GET /api/source?path=%2Fetc%2Fpasswd&start=1&end=3 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
    assertThat(fixture.raw(get + "\r\n")).as("no token").isEqualTo(401);
    assertThat(fixture.raw(get + "X-Helix-Session: 00\r\n\r\n")).as("wrong token").isEqualTo(401);
  }

  @Test
  void aQuestionWhileTheServerIsDownIsA503SayingToStartIt() throws Exception {
    // The server is not supervised in this test, so it is stopped: the launcher says so instead of
    // hanging.
    HttpResponse<String> asked = fixture.ask("{\"query\": \"how are sessions expired?\"}");
    assertThat(asked.statusCode()).isEqualTo(503);
    assertThat(asked.body()).contains("the helix server is stopped").contains("press Start");
    HttpResponse<String> lines = fixture.lines("?path=%2Ftmp%2FA.java&start=1&end=2");
    assertThat(lines.statusCode()).isEqualTo(503);
    assertThat(lines.body()).contains("press Start");
  }

  @Test
  void aQuestionThatIsNotAJsonObjectIsA400ShowingWhatWasSent() throws Exception {
    HttpResponse<String> asked = fixture.ask("[\"how are sessions expired?\"]");
    assertThat(asked.statusCode()).isEqualTo(400);
    assertThat(asked.body())
        .contains("must be a JSON object")
        .contains("how are sessions expired?");
  }

  @Test
  void theStateNeverContainsTheTokenButTheDashboardEmbedsIt() throws Exception {
    HttpResponse<String> state = fixture.get("/api/state");
    assertThat(state.statusCode()).isEqualTo(200);
    assertThat(state.body())
        .contains("\"service\":\"helix-launcher\"")
        .doesNotContain(fixture.token());
    HttpResponse<String> page = fixture.get("/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains(fixture.token());
    assertThat(page.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    assertThat(page.headers().firstValue("Content-Security-Policy"))
        .hasValueSatisfying(v -> assertThat(v).contains("default-src 'none'"));
  }

  @Test
  void aBadControlBodyOrTargetIsA400NamingTheProblem() throws Exception {
    HttpResponse<String> badTarget = fixture.control("start", "?target=database", "{}");
    assertThat(badTarget.statusCode()).isEqualTo(400);
    assertThat(badTarget.body()).contains("target=headroom");
    HttpResponse<String> badForce = fixture.control("stop", "", "{\"force\": \"yes\"}");
    assertThat(badForce.statusCode()).isEqualTo(400);
    assertThat(badForce.body()).contains("force must be true or false");
  }

  @Test
  void aNonLoopbackLauncherNeedsAServerToken(@TempDir Path other) throws Exception {
    try (Fixture exposed = new Fixture(other)) {
      exposed.set("launcher.host", "\"0.0.0.0\"");
      assertThatThrownBy(() -> exposed.start(false))
          .isInstanceOf(Launcher.StartFailure.class)
          .hasMessageContaining("without a token")
          .hasMessageContaining("[server] token");
    }
  }
}
