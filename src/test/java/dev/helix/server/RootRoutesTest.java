package dev.helix.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helix.config.ConfigLoader;
import dev.helix.context.ContextService;
import dev.helix.context.ContextServices;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Roots over HTTP (docs/workspaces.md) on a real server and a real store: naming, listing, scope,
 * removal.
 */
class RootRoutesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  ContextService context;
  ServerFixture helix;
  Path web;
  Path api;
  Path otherWeb;

  @BeforeEach
  void setUp() throws Exception {
    web =
        write(
            dir.resolve("a/web/Router.java"),
            "/** Routes each request path to its handler by prefix. */\nclass Router {}\n");
    otherWeb =
        write(
                dir.resolve("b/web/Session.java"),
                "/** Expires idle sessions after thirty minutes. */\nclass Session {}\n")
            .getParent();
    api =
        write(
                dir.resolve("api/Limiter.java"),
                "/** Limits each client's request rate with a token bucket. */\nclass Limiter {}\n")
            .getParent();
    web = web.getParent();
    String store =
        "\n[store]\npath = \"" + dir.resolve("store") + "\"\nembeddings = false\nwatch = false\n";
    Files.writeString(dir.resolve("store.toml"), store);
    context =
        ContextServices.open(
            new ConfigLoader(Map.of("HELIX_HOME", dir.toString()), dir, dir)
                .load(dir.resolve("store.toml"))
                .config());
    helix = ServerFixture.start(dir, "http://127.0.0.1:9", store, Map.of(), context);
  }

  @AfterEach
  void tearDown() throws Exception {
    helix.close();
    context.close();
  }

  @Test
  void ingestedFoldersAreRootsNamedAfterTheirFolderAndMadeUnique() throws Exception {
    JsonNode report =
        post(
            "/ingest",
            Map.of(
                "paths",
                List.of(web.toString(), otherWeb.toString(), api.toString()),
                "names",
                java.util.Arrays.asList(null, null, "backend")));
    assertThat(report.get("roots"))
        .extracting(JsonNode::asText)
        .containsExactly("web", "web-2", "backend");

    JsonNode roots = get("/roots").get("roots");
    assertThat(roots)
        .extracting(r -> r.get("name").asText())
        .containsExactly("backend", "web", "web-2");
    JsonNode first = roots.get(1);
    assertThat(first.get("path").asText()).isEqualTo(web.toString());
    assertThat(first.get("files").asLong()).isEqualTo(1);
    assertThat(first.get("chunks").asLong()).isPositive();
    assertThat(first.get("bytes").asLong()).isEqualTo(Files.size(web.resolve("Router.java")));
    assertThat(first.get("state").asText()).isEqualTo("synced");
    assertThat(first.get("last_sync").asText()).endsWith("Z");
    assertThat(first.get("watching").asBoolean()).isFalse();

    JsonNode health = get("/health").get("store");
    assertThat(health.get("roots").asLong()).isEqualTo(3);
    assertThat(health.get("pending").asLong()).isZero();
    assertThat(health.has("watching")).isTrue();
    assertThat(get("/stats").get("roots")).hasSize(3);
  }

  @Test
  void aQueryScopedToRootsFindsOnlyTheirFilesAndAnUnknownNameIsA400ListingTheKnownOnes()
      throws Exception {
    post("/ingest", Map.of("paths", List.of(web.toString(), api.toString())));
    JsonNode everywhere =
        post("/context", Map.of("query", "request rate token bucket handler prefix"));
    assertThat(sources(everywhere))
        .contains(web.resolve("Router.java").toString(), api.resolve("Limiter.java").toString());
    assertThat(everywhere.get("index_version").asLong()).isPositive();

    JsonNode scoped =
        post(
            "/context",
            Map.of("query", "request rate token bucket handler prefix", "roots", List.of("web")));
    assertThat(sources(scoped)).containsExactly(web.resolve("Router.java").toString());
    JsonNode packet =
        post(
            "/context/packet",
            Map.of("query", "token bucket rate", "task_type", "explain", "roots", List.of("web")));
    assertThat(packet.toString()).doesNotContain("Limiter.java");
    assertThat(packet.get("index_version").asLong())
        .isEqualTo(scoped.get("index_version").asLong());

    HttpResponse<String> unknown =
        helix.post("/context", "{\"query\": \"rate\", \"roots\": [\"nope\"]}");
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(unknown.body()).contains("nope").contains("api").contains("web");
  }

  @Test
  void deletingARootRemovesItsSourcesAndAnUnknownNameIsA404() throws Exception {
    post("/ingest", Map.of("paths", List.of(web.toString(), api.toString())));
    HttpResponse<String> removed = delete("/roots/web");
    assertThat(removed.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(removed.body()).get("removed").get("sources").asLong()).isEqualTo(1);
    assertThat(get("/roots").get("roots"))
        .extracting(r -> r.get("name").asText())
        .containsExactly("api");
    assertThat(sources(post("/context", Map.of("query", "handler prefix request path"))))
        .doesNotContain(web.resolve("Router.java").toString());

    HttpResponse<String> unknown = delete("/roots/web");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).contains("'web'").contains("api");
  }

  @Test
  void theQuestionBoxSeesTheInjectedBlockAndTheCitedLines() throws Exception {
    post("/ingest", Map.of("paths", List.of(api.toString())));
    JsonNode answer =
        post("/context", Map.of("query", "token bucket request rate limiter", "injection", true));
    JsonNode injection = answer.get("injection");
    assertThat(injection.get("text").asText())
        .startsWith("<<<helix-context")
        .contains("Limiter.java");
    assertThat(injection.get("tokens").asInt()).isPositive();

    String file = api.resolve("Limiter.java").toString();
    JsonNode lines =
        get("/source?path=" + URLEncoder.encode(file, StandardCharsets.UTF_8) + "&start=2&end=2");
    assertThat(lines.get("text").asText()).isEqualTo("class Limiter {}");
    assertThat(lines.get("stale").asBoolean()).isFalse();
    HttpResponse<String> outside =
        helix.get("/source?path=" + URLEncoder.encode("/etc/passwd", StandardCharsets.UTF_8));
    assertThat(outside.statusCode()).isEqualTo(404);
    assertThat(outside.body()).doesNotContain("root:");
  }

  private static List<String> sources(JsonNode answer) {
    return java.util.stream.StreamSupport.stream(answer.get("citations").spliterator(), false)
        .map(c -> c.get("source").asText())
        .distinct()
        .toList();
  }

  private JsonNode get(String path) throws Exception {
    HttpResponse<String> r = helix.get(path);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private JsonNode post(String path, Object body) throws Exception {
    HttpResponse<String> r = helix.post(path, JSON.writeValueAsString(body));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private HttpResponse<String> delete(String path) throws Exception {
    return helix.client.send(
        HttpRequest.newBuilder(URI.create(helix.url() + path)).DELETE().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static Path write(Path file, String text) throws Exception {
    Files.createDirectories(file.getParent());
    return Files.writeString(file, text);
  }
}
