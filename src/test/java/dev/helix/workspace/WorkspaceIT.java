package dev.helix.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helix.testing.HelixRun;
import dev.helix.testing.ServeProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live workspaces as a user meets them: a real {@code helix serve} process watching real folders,
 * driven by the real CLI. A save is found without an ingest; what changed while the server was down
 * is picked up when it comes back; roots scope queries and can be removed.
 */
class WorkspaceIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;
  final HttpClient http = HttpClient.newHttpClient();

  @Test
  void savesAreFoundChangesWhileDownArePickedUpAndRootsScopeAndGo() throws Exception {
    Path web =
        WorkspaceTest.write(
                dir.resolve("a/web/Router.java"),
                "/** Routes each request path to its handler by prefix. */\nclass Router {}\n")
            .getParent();
    Path web2 =
        WorkspaceTest.write(
                dir.resolve("b/web/Session.java"),
                "/** Expires idle sessions after thirty minutes. */\nclass Session {}\n")
            .getParent();
    Map<String, String> env = Map.of("HELIX_HOME", dir.resolve("home").toString());
    Path cache = web.resolve("Cache.java");
    try (ServeProcess serve = ServeProcess.start(dir, "embeddings = false\n")) {
      String config = serve.config().toString();
      HelixRun.Result ingest =
          HelixRun.run(dir, env, "ingest", web.toString(), web2.toString(), "--config", config);
      assertThat(ingest.exitCode()).as(ingest.stderr()).isZero();
      assertThat(ingest.stdout()).contains("roots: web, web-2");
      await(
          "both roots are watched",
          () ->
              health(serve).path("watching").asBoolean()
                  && health(serve).path("roots").asLong() == 2);

      WorkspaceTest.write(
          cache,
          "/** Evicts the least recently used entry when the cache is full. */\nclass Cache {}\n");
      await(
          "the saved file is found without an ingest",
          () ->
              cited(serve, "least recently used entry evicts", List.of())
                  .contains(cache.toString()));

      HelixRun.Result scoped =
          HelixRun.run(
              dir,
              env,
              "query",
              "idle sessions expire handler prefix",
              "--root",
              "web-2",
              "--json",
              "--config",
              config);
      assertThat(scoped.exitCode()).as(scoped.stderr()).isZero();
      assertThat(JSON.readTree(scoped.stdout()).get("citations"))
          .isNotEmpty()
          .allSatisfy(c -> assertThat(c.get("source").asText()).startsWith(web2.toString()));
      HelixRun.Result unknown =
          HelixRun.run(dir, env, "query", "sessions", "--root", "nope", "--config", config);
      assertThat(unknown.exitCode()).isEqualTo(2);
      assertThat(unknown.stderr()).contains("nope").contains("web, web-2");

      HelixRun.Result roots = HelixRun.run(dir, env, "roots", "--config", config);
      assertThat(roots.stdout()).contains("web-2").contains("synced").contains(web.toString());
    }

    // While the server is down: one file changed, one deleted, one added.
    WorkspaceTest.write(
        cache, "/** Compresses log lines into error signatures. */\nclass Cache {}\n");
    Files.delete(web.resolve("Router.java"));
    Path added =
        WorkspaceTest.write(
            web.resolve("Added.java"),
            "/** Parses quoted CSV fields with escapes. */\nclass Added {}\n");

    try (ServeProcess serve = ServeProcess.start(dir, "embeddings = false\n")) {
      String config = serve.config().toString();
      await(
          "what changed while the server was down is picked up",
          () ->
              cited(serve, "quoted CSV fields escapes", List.of()).contains(added.toString())
                  && cited(serve, "compresses log lines error signatures", List.of())
                      .contains(cache.toString())
                  && !cited(serve, "routes request path handler prefix", List.of())
                      .contains(web.resolve("Router.java").toString()));
      assertThat(health(serve).path("watching").asBoolean()).isTrue();

      HelixRun.Result removed =
          HelixRun.run(dir, env, "roots", "remove", "web-2", "--config", config);
      assertThat(removed.exitCode()).as(removed.stderr()).isZero();
      assertThat(removed.stdout()).contains("removed root web-2: 1 sources");
      Path late =
          WorkspaceTest.write(
              web2.resolve("Late.java"),
              "/** Balances shards across zebra nodes. */\nclass Late {}\n");
      Path marker =
          WorkspaceTest.write(
              web.resolve("Marker.java"),
              "/** Counts zebra crossings at night. */\nclass Marker {}\n");
      await(
          "a save in the remaining root is found",
          () -> cited(serve, "zebra crossings night", List.of()).contains(marker.toString()));
      assertThat(cited(serve, "balances shards zebra nodes", List.of()))
          .doesNotContain(late.toString());

      HelixRun.Result sync = HelixRun.run(dir, env, "ingest", "--config", config);
      assertThat(sync.exitCode()).as(sync.stderr()).isZero();
      assertThat(sync.stdout()).contains("roots: web");
    }
  }

  @Test
  void aRunningServerFollowsRenamesNewFoldersAndDeletionsAndIgnoresWhatIngestIgnores()
      throws Exception {
    Path repo = dir.resolve("repo");
    Path parser =
        WorkspaceTest.write(
            repo.resolve("src/Parser.java"),
            "/** Parses quoted CSV fields with escapes. */\nclass Parser {}\n");
    WorkspaceTest.write(repo.resolve(".gitignore"), "build/\n");
    Files.createSymbolicLink(repo.resolve("src/loop"), repo);
    try (ServeProcess serve = ServeProcess.start(dir, "embeddings = false\n")) {
      assertThat(
              serve
                  .post(
                      "/ingest", JSON.writeValueAsString(Map.of("paths", List.of(repo.toString()))))
                  .statusCode())
          .isEqualTo(200);
      await("the root is watched", () -> health(serve).path("watching").asBoolean());

      Path renamed = repo.resolve("src/CsvParser.java");
      Files.move(parser, renamed);
      await(
          "the renamed file is cited under its new path only",
          () -> {
            List<String> cited = cited(serve, "quoted CSV fields escapes", List.of());
            return cited.contains(renamed.toString()) && !cited.contains(parser.toString());
          });

      Path nested =
          WorkspaceTest.write(
              repo.resolve("lib/deep/Tokenizer.java"),
              "/** Splits camelCase identifiers into words. */\nclass Tokenizer {}\n");
      WorkspaceTest.write(
          repo.resolve("build/Generated.java"),
          "/** Splits generated zebra identifiers. */\nclass Generated {}\n");
      await(
          "a file in a new folder is found",
          () ->
              cited(serve, "splits camelCase identifiers", List.of()).contains(nested.toString()));
      assertThat(cited(serve, "generated zebra identifiers", List.of()))
          .noneMatch(s -> s.contains("/build/"));

      Files.delete(renamed);
      await(
          "the deleted file is gone",
          () -> !cited(serve, "quoted CSV fields escapes", List.of()).contains(renamed.toString()));
      JsonNode roots =
          JSON.readTree(
                  http.send(
                          HttpRequest.newBuilder(URI.create(serve.url() + "/roots")).build(),
                          HttpResponse.BodyHandlers.ofString())
                      .body())
              .get("roots");
      assertThat(roots.get(0).get("files").asLong()).isEqualTo(2); // .gitignore and Tokenizer.java
      assertThat(roots.get(0).get("state").asText()).isEqualTo("synced");
    }
  }

  private JsonNode health(ServeProcess serve) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(serve.url() + "/health")).build(),
            HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(r.body()).path("store");
  }

  private List<String> cited(ServeProcess serve, String query, List<String> roots)
      throws Exception {
    HttpResponse<String> r =
        serve.post("/context", JSON.writeValueAsString(Map.of("query", query, "roots", roots)));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return StreamSupport.stream(JSON.readTree(r.body()).get("citations").spliterator(), false)
        .map(c -> c.get("source").asText())
        .distinct()
        .toList();
  }

  private static void await(String what, java.util.concurrent.Callable<Boolean> condition)
      throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.call()) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("waited " + WAIT.toSeconds() + " s for: " + what);
  }
}
