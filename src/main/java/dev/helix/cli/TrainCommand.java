package dev.helix.cli;

import dev.helix.config.ConfigLoader;
import dev.helix.config.HelixConfig;
import dev.helix.context.ContextService;
import dev.helix.context.ContextServices;
import dev.helix.launcher.Launcher;
import dev.helix.server.HelixServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;

/**
 * The training run behind {@code ./helix}'s start-up cache: a short, silent tour of what users start
 * most (the CLI, {@code serve} and its routes, ingest, a query, the launcher's pages) on a throw-away
 * store, so the JVM's AOT cache holds those classes already loaded and linked. Hidden: it is not a
 * user command.
 */
@Command(name = "__train", hidden = true, description = "Exercise helix once to train the start-up cache.")
final class TrainCommand implements Callable<Integer> {
  private final Cli cli;

  TrainCommand(Cli cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() throws Exception {
    Path dir = Files.createTempDirectory("helix-train");
    try {
      Path docs = Files.createDirectories(dir.resolve("docs"));
      Files.writeString(docs.resolve("notes.md"), "# Retries\n\nPayments are retried three times with backoff.\n");
      Files.writeString(docs.resolve("Retry.java"),
          "class Retry {\n  int attempts() {\n    return 3;\n  }\n}\n");
      // Port 9 (discard) has nothing listening: the chat call exercises the proxy's error path.
      Files.writeString(dir.resolve("helix.toml"), "[server]\nport = 0\nupstream = \"http://127.0.0.1:9\"\n"
          + "upstream_timeout = 2\n[launcher]\nport = 0\n[store]\npath = \"" + dir.resolve("store").toString().replace("\\", "\\\\")
          + "\"\nembeddings = false\n");
      HelixConfig config = new ConfigLoader(Map.of(), dir, dir).load(dir.resolve("helix.toml")).config();
      silentMain().run("config", "--json", "--config", dir.resolve("helix.toml").toString());
      try (ContextService context = ContextServices.open(config);
          HelixServer server = HelixServer.start(config, context, VersionProvider.version())) {
        tour("http://127.0.0.1:" + server.port(), docs);
      }
      // The launcher's own surface (dashboard, state), without a server child: `up` starts it first.
      try (Launcher launcher = Launcher.start(config, Map.of(), Clock.systemUTC(), false)) {
        HttpClient http = HttpClient.newHttpClient();
        send(http, HttpRequest.newBuilder(URI.create(launcher.dashboardUrl())).GET());
        send(http, HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + launcher.port() + "/api/state")).GET());
      }
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
          Files.deleteIfExists(p);
        }
      }
    }
    return ExitCodes.OK;
  }

  private Main silentMain() {
    PrintWriter nowhere = new PrintWriter(Writer.nullWriter());
    return new Main(new Cli(cli.loader(), nowhere, nowhere, cli.env()));
  }

  private static void tour(String base, Path docs) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    String docsJson = docs.toString().replace("\\", "\\\\").replace("\"", "\\\"");
    send(http, HttpRequest.newBuilder(URI.create(base + "/health")).GET());
    send(http, post(base + "/ingest", "{\"paths\":[\"" + docsJson + "\"]}"));
    send(http, post(base + "/context", "{\"query\":\"how are payments retried\"}"));
    send(http, post(base + "/context/packet", "{\"query\":\"retry attempts\",\"task_type\":\"edit\"}"));
    send(http, post(base + "/compress", "{\"text\":\"INFO ok\\nERROR failed\\n\",\"target\":5}"));
    send(http, post(base + "/v1/chat/completions",
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"how are payments retried\"}]}"));
    send(http, HttpRequest.newBuilder(URI.create(base + "/stats")).GET());
    send(http, HttpRequest.newBuilder(URI.create(base + "/metrics")).GET());
  }

  private static HttpRequest.Builder post(String url, String json) {
    return HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json));
  }

  private static void send(HttpClient http, HttpRequest.Builder request) throws IOException, InterruptedException {
    http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding());
  }
}
