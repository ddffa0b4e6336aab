package dev.helix.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helix.testing.StandIn;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/security.md on the server: Host, Origin, content type, token; no CORS grants, no secret in
 * answers.
 */
@Timeout(60)
class SecurityTest {
  private static final String TOKEN = "helix-test-token-0123456789";
  private static StandIn upstream;
  @TempDir Path dir;
  private FixedContextService store;
  private ServerFixture helix;

  @BeforeAll
  static void startUpstream() throws Exception {
    upstream = StandIn.start();
  }

  @AfterAll
  static void stopUpstream() {
    upstream.close();
  }

  @BeforeEach
  void start() throws Exception {
    store = FixedContextService.noMatch();
    helix = ServerFixture.start(dir, upstream.url(), "", Map.of("HELIX_TOKEN", TOKEN), store);
  }

  @AfterEach
  void stop() {
    helix.close();
  }

  private String raw(String method, String path, String headers, String body) throws Exception {
    return helix.raw(
        method
            + " "
            + path
            + " HTTP/1.1\n"
            + headers
            + "Connection: close\nContent-Length: "
            + body.length()
            + "\n\n"
            + body);
  }

  @Test
  void foreignOrEmptyHostIsRefusedWithNoSideEffect() throws Exception {
    for (String host : new String[] {"evil.example", "localhost.evil.com", ""}) {
      String answer =
          raw(
              "POST",
              "/ingest",
              "Host: "
                  + host
                  + "\nAuthorization: Bearer "
                  + TOKEN
                  + "\nContent-Type: application/json\n",
              "{\"content\":\"x\"}");
      assertThat(answer).startsWith("HTTP/1.1 403").contains("is not allowed");
    }
    assertThat(store.ingested).isEmpty();
  }

  @Test
  void crossOriginPostsAreRefused() throws Exception {
    String json =
        "Host: 127.0.0.1\nAuthorization: Bearer " + TOKEN + "\nContent-Type: application/json\n";
    assertThat(
            raw("POST", "/ingest", json + "Origin: https://evil.example\n", "{\"content\":\"x\"}"))
        .startsWith("HTTP/1.1 403");
    assertThat(raw("POST", "/ingest", json + "Origin: null\n", "{\"content\":\"x\"}"))
        .startsWith("HTTP/1.1 403");
    assertThat(raw("POST", "/ingest", json + "Sec-Fetch-Site: cross-site\n", "{\"content\":\"x\"}"))
        .startsWith("HTTP/1.1 403");
    assertThat(
            raw(
                "POST",
                "/v1/chat/completions",
                json.replace("Authorization: Bearer", "X-Helix-Token:")
                    + "Origin: http://localhost:1\n",
                "{}"))
        .startsWith("HTTP/1.1 403");
    assertThat(store.ingested).isEmpty();
  }

  @Test
  void formPostIs415() throws Exception {
    String answer =
        raw(
            "POST",
            "/ingest",
            "Host: localhost\nAuthorization: Bearer "
                + TOKEN
                + "\nContent-Type: application/x-www-form-urlencoded\n",
            "content=x");
    assertThat(answer).startsWith("HTTP/1.1 415");
    assertThat(store.ingested).isEmpty();
  }

  @Test
  void tokenIsRequiredOnEveryRouteButHealth() throws Exception {
    assertThat(helix.get("/health").statusCode()).isEqualTo(200);
    for (String path : new String[] {"/stats", "/metrics"}) {
      assertThat(helix.get(path).statusCode()).as(path).isEqualTo(401);
      assertThat(helix.get(path, "Authorization", "Bearer wrong").statusCode())
          .as(path)
          .isEqualTo(401);
      assertThat(helix.get(path, "Authorization", "Bearer " + TOKEN).statusCode())
          .as(path)
          .isEqualTo(200);
    }
    HttpResponse<String> context = helix.post("/context", "{\"query\":\"x\"}");
    assertThat(context.statusCode()).isEqualTo(401);
    assertThat(context.body()).doesNotContain(TOKEN).contains("Authorization: Bearer");
    assertThat(helix.post("/admin/shutdown", "{}").statusCode()).isEqualTo(401);
    assertThat(
            helix
                .post("/context", "{\"query\":\"x\"}", "Authorization", "Bearer " + TOKEN)
                .statusCode())
        .isEqualTo(200);
  }

  @Test
  void proxyRoutesTakeTheTokenAsXHelixTokenAndNeverForwardIt() throws Exception {
    String chat = "{\"messages\":[{\"role\":\"user\",\"content\":\"q\"}]}";
    // The Authorization header belongs to the upstream, so it does not unlock /v1.
    HttpResponse<String> refused =
        helix.post("/v1/chat/completions", chat, "Authorization", "Bearer " + TOKEN);
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(refused.body()).contains("X-Helix-Token").doesNotContain(TOKEN);
    assertThat(helix.get("/v1/models").statusCode()).isEqualTo(401);

    HttpResponse<String> ok =
        helix.post(
            "/v1/chat/completions",
            chat,
            "X-Helix-Token",
            TOKEN,
            "Authorization",
            "Bearer sk-upstream");
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.headers().map().keySet())
        .noneMatch(h -> h.equalsIgnoreCase("Access-Control-Allow-Origin"));
    StandIn.Recorded sent = upstream.takeRequest();
    assertThat(sent.header("Authorization")).isEqualTo("Bearer sk-upstream");
    assertThat(sent.header("X-Helix-Token")).isNull();
    assertThat(new ObjectMapper().readTree(ok.body()).at("/object").asText())
        .isEqualTo("chat.completion");
  }
}
