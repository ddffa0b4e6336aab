package dev.helix.cli;

import dev.helix.config.ConfigLoader;
import dev.helix.config.HelixConfig;
import dev.helix.context.ContextService;
import dev.helix.context.ContextServices;
import dev.helix.http.Daemon;
import dev.helix.http.LocalClient;
import dev.helix.launcher.Launcher;
import dev.helix.server.HelixServer;
import dev.helix.text.Json;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;

/**
 * The training run behind {@code ./helix}'s start-up cache: a short, silent tour of what users
 * start most (the CLI, {@code serve} and its routes, ingest, a query, the launcher's pages) on a
 * throw-away store, so the JVM's AOT cache holds those classes already loaded and linked. Hidden:
 * it is not a user command.
 */
@Command(
    name = "__train",
    hidden = true,
    description = "Exercise helix once to train the start-up cache.")
final class TrainCommand implements Callable<Integer> {
  /** Everything runs on loopback: these only bound a call that hangs, so the build never does. */
  private static final Duration CONNECT = Duration.ofSeconds(2);

  private static final Duration CALL = Duration.ofSeconds(10);

  private final Cli cli;

  TrainCommand(Cli cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() throws Exception {
    Path dir = Files.createTempDirectory("helix-train");
    try {
      Path docs = Files.createDirectories(dir.resolve("docs"));
      Files.writeString(
          docs.resolve("notes.md"),
          "# Retries\n\nPayments are retried three times with backoff.\n");
      Files.writeString(
          docs.resolve("Retry.java"), "class Retry {\n  int attempts() {\n    return 3;\n  }\n}\n");
      // Port 9 (discard) has nothing listening: the chat call exercises the proxy's error path.
      Files.writeString(
          dir.resolve("helix.toml"),
          "[server]\nport = 0\nupstream = \"http://127.0.0.1:9\"\n"
              + "upstream_timeout = 2\n[launcher]\nport = 0\n[store]\npath = \""
              + dir.resolve("store").toString().replace("\\", "\\\\")
              + "\"\nembeddings = false\n");
      HelixConfig config =
          new ConfigLoader(Map.of(), dir, dir).load(dir.resolve("helix.toml")).config();
      silentMain().run("config", "--json", "--config", dir.resolve("helix.toml").toString());
      try (ContextService context = ContextServices.open(config);
          HelixServer server = HelixServer.start(config, context, VersionProvider.version())) {
        tour("http://127.0.0.1:" + server.port(), docs);
      }
      // The launcher's own surface (dashboard, state), without a server child: `up` starts it
      // first.
      try (Launcher launcher = Launcher.start(config, Map.of(), Clock.systemUTC(), false)) {
        LocalClient http = new LocalClient(Daemon.LAUNCHER, Json.mapper(), CONNECT);
        http.get(launcher.dashboardUrl(), CALL);
        http.get("http://127.0.0.1:" + launcher.port() + "/api/state", CALL);
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

  /**
   * The server's routes through the client the CLI uses for them, so the cache holds both sides.
   * Outcomes are not checked: the tour only needs each path taken once (the chat call fails on
   * purpose), and a tour that stopped at a failure would train less.
   */
  private static void tour(String base, Path docs) throws InterruptedException {
    LocalClient http = new LocalClient(Daemon.SERVER, Json.mapper(), CONNECT);
    http.get(base + "/health", CALL);
    http.post(base + "/ingest", Map.of("paths", List.of(docs.toString())), CALL);
    http.post(base + "/context", Map.of("query", "how are payments retried"), CALL);
    http.post(
        base + "/context/packet", Map.of("query", "retry attempts", "task_type", "edit"), CALL);
    http.post(base + "/compress", Map.of("text", "INFO ok\nERROR failed\n", "target", 5), CALL);
    http.post(
        base + "/v1/chat/completions",
        Map.of(
            "model",
            "m",
            "messages",
            List.of(Map.of("role", "user", "content", "how are payments retried"))),
        CALL);
    http.get(base + "/stats", CALL);
    http.get(base + "/metrics", CALL);
  }
}
