package dev.helix.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.helix.config.HelixConfig;
import dev.helix.config.Routing;
import dev.helix.launcher.LauncherClient;
import dev.helix.text.Json;
import java.io.PrintWriter;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code helix status}: is the server up, how big is the store, is the launcher up, how is chat
 * routed. Exit status 3 when the server is down (README.md, Commands), after printing the same
 * report.
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Show whether the helix server and launcher are running, the store size and the routing decision.",
      "Exit status: 0 when the server is up, 3 when it is down."
    })
final class StatusCommand implements Callable<Integer> {
  private final Cli cli;

  @Mixin ConfigOption config = new ConfigOption();

  @Option(
      names = "--json",
      description = "Print one JSON document: {status, server, store, launcher, routing}.")
  boolean asJson;

  StatusCommand(Cli cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() throws Exception {
    // Made here, not as a field: `helix --help` constructs every command, and a mapper loads
    // Jackson.
    ObjectMapper json = Json.mapper();
    HelixConfig effective = cli.load(config.path).config();
    LauncherClient.Addresses addresses = LauncherClient.addresses(effective);
    String serverUrl = addresses.serverUrl();
    String launcherUrl = addresses.launcherUrl();
    String token = effective.server().token();
    StatusProbe probe = new StatusProbe(json);
    CompletableFuture<StatusProbe.Probe> health = probe.get(serverUrl + "/health", token);
    CompletableFuture<StatusProbe.Probe> stats = probe.get(serverUrl + "/stats", token);
    CompletableFuture<StatusProbe.Probe> launcher = probe.get(launcherUrl + "/api/state", null);

    ObjectNode report =
        report(
            json,
            serverUrl,
            health.join(),
            stats.join(),
            launcherUrl,
            launcher.join(),
            effective.routing());
    boolean up = report.path("server").path("running").asBoolean();
    PrintWriter out = cli.out();
    if (asJson) {
      out.println(
          json.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report));
    } else {
      new StatusText(out).print(report, effective.routing());
    }
    out.flush();
    return up ? ExitCodes.OK : ExitCodes.DOWN;
  }

  private static ObjectNode report(
      ObjectMapper json,
      String serverUrl,
      StatusProbe.Probe health,
      StatusProbe.Probe stats,
      String launcherUrl,
      StatusProbe.Probe launcher,
      Routing routing) {
    ObjectNode report = json.createObjectNode();
    boolean running = health.ok() && "helix".equals(health.body().path("service").asText(null));
    report.put("status", running ? "up" : "down");

    ObjectNode server = report.putObject("server");
    server.put("url", serverUrl);
    server.put("running", running);
    if (running) {
      copyFields(health.body(), server, "service");
    } else {
      server.put("error", serverDown(serverUrl, health));
      report.put(
          "message",
          "helix server at "
              + serverUrl
              + " is not running: start it with ./helix up "
              + "(or helix serve in a terminal of its own)");
    }

    if (running && stats.ok()) {
      ObjectNode store = report.putObject("store");
      store.set("chunks", stats.body().path("chunks"));
      store.set("sources", stats.body().path("sources"));
      store.set("store_bytes", stats.body().path("store_bytes"));
      JsonNode h = health.body().path("store");
      for (String field : new String[] {"pending", "watching", "index_version", "warnings"}) {
        if (h.has(field)) {
          store.set(field, h.get(field));
        }
      }
      if (stats.body().has("roots")) {
        store.set("roots", stats.body().get("roots"));
      }
    } else if (running) {
      // A server without /stats (or refusing our token) still reports its chunk count in /health.
      ObjectNode store = report.putObject("store");
      store.set("chunks", health.body().path("store").path("chunks"));
      store.putNull("sources");
      store.putNull("store_bytes");
      store.put(
          "note",
          "GET /stats answered "
              + (stats.answered() ? String.valueOf(stats.status()) : stats.failure())
              + "; only the chunk count from /health is known");
    } else {
      report.putNull("store");
    }

    ObjectNode launcherNode = report.putObject("launcher");
    launcherNode.put("url", launcherUrl);
    boolean launcherUp =
        launcher.ok() && launcher.body().isObject() && launcher.body().has("server");
    launcherNode.put("running", launcherUp);
    if (launcherUp) {
      copyFields(launcher.body(), launcherNode, null);
    } else {
      launcherNode.put(
          "error",
          launcher.answered()
              ? "answered GET /api/state with " + launcher.status() + ", not a helix launcher state"
              : launcher.failure() + "; the launcher is optional, ./helix up starts it");
    }
    report.set("routing", json.valueToTree(routing.asMap()));
    return report;
  }

  private static String serverDown(String url, StatusProbe.Probe health) {
    if (!health.answered()) {
      return health.failure();
    }
    if (health.ok()) {
      return "something answers GET /health at "
          + url
          + " but it is not helix (service="
          + health.body().path("service").asText("missing")
          + "); another program owns the port";
    }
    return "GET /health answered " + health.status() + "; it is not a helix server";
  }

  private static void copyFields(
      JsonNode from, ObjectNode to, @org.jspecify.annotations.Nullable String skip) {
    for (Iterator<Map.Entry<String, JsonNode>> it = from.properties().iterator(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (!field.getKey().equals(skip) && !to.has(field.getKey())) {
        to.set(field.getKey(), field.getValue());
      }
    }
  }

  /** The human form of the report. */
  private record StatusText(PrintWriter out) {
    void print(JsonNode report, Routing routing) {
      JsonNode server = report.path("server");
      if (server.path("running").asBoolean()) {
        line(
            "server",
            "up at "
                + server.path("url").asText()
                + " (helix "
                + server.path("version").asText("?")
                + ", pid "
                + server.path("pid").asText("?")
                + ", status "
                + server.path("status").asText("?")
                + ")");
        JsonNode upstream = server.path("upstream");
        if (upstream.has("url")) {
          line(
              "upstream",
              upstream.path("url").asText()
                  + (upstream.path("reachable").asBoolean() ? " (reachable)" : " (not reachable)"));
        }
      } else {
        line(
            "server",
            "DOWN at " + server.path("url").asText() + ": " + server.path("error").asText());
        line("", report.path("message").asText());
      }
      JsonNode store = report.path("store");
      if (store.isObject()) {
        StringBuilder size = new StringBuilder(store.path("chunks").asText("?") + " chunks");
        if (store.path("sources").isNumber()) {
          size.append(" from ").append(store.path("sources").asLong()).append(" sources");
        }
        if (store.path("store_bytes").isNumber()) {
          size.append(", ").append(bytes(store.path("store_bytes").asLong())).append(" on disk");
        }
        line("store", size.toString());
        JsonNode roots = store.path("roots");
        if (roots.isArray()) {
          line(
              "roots",
              roots.isEmpty()
                  ? "none yet (helix ingest PATH adds one)"
                  : roots.size()
                      + (store.path("watching").asBoolean()
                          ? ", watched"
                          : ", not watched ([store] watch is off or failing)")
                      + (store.path("pending").asLong() > 0
                          ? ", " + store.path("pending").asLong() + " files pending"
                          : ""));
          for (JsonNode r : roots) {
            line(
                "",
                r.path("name").asText()
                    + ": "
                    + r.path("state").asText()
                    + ", "
                    + r.path("files").asText()
                    + " files, "
                    + r.path("chunks").asText()
                    + " chunks, last sync "
                    + r.path("last_sync").asText("never")
                    + (r.path("pending").asLong() > 0
                        ? ", " + r.path("pending").asLong() + " pending"
                        : "")
                    + " ("
                    + r.path("path").asText()
                    + ")"
                    + (r.hasNonNull("error") ? ": " + r.path("error").asText() : ""));
          }
        }
        for (JsonNode w : store.path("warnings")) {
          line("warning", w.asText());
        }
      }
      JsonNode launcher = report.path("launcher");
      if (launcher.path("running").asBoolean()) {
        JsonNode child = launcher.path("server");
        line(
            "launcher",
            "up at "
                + launcher.path("url").asText()
                + "; server "
                + (child.path("running").asBoolean()
                    ? "running, pid "
                        + child.path("pid").asText("?")
                        + (child.path("owned").asBoolean() ? " (owned)" : " (adopted)")
                        + ", up "
                        + child.path("uptime_s").asText("?")
                        + " s"
                    : "not running")
                + ", "
                + child.path("restarts").asText("0")
                + " restarts");
        JsonNode headroom = launcher.path("headroom");
        if (headroom.isObject()) {
          line(
              "headroom",
              headroom.path("state").asText("?")
                  + (headroom.hasNonNull("url") ? " at " + headroom.path("url").asText() : ""));
        }
        JsonNode error = child.path("last_error");
        if (error.isObject()) {
          line(
              "last error",
              error.path("operation").asText("?") + ": " + error.path("message").asText("?"));
        }
      } else {
        line(
            "launcher",
            "not running at "
                + launcher.path("url").asText()
                + " ("
                + launcher.path("error").asText()
                + ")");
      }
      line(
          "routing",
          (routing.routeViaHeadroom() ? "via Headroom" : "direct")
              + " ("
              + routing.reason().code()
              + ": "
              + routing.reason().explanation()
              + ")");
      JsonNode launcherRouting = launcher.path("routing");
      if (launcherRouting.isObject()
          && !launcherRouting.path("reason").asText().equals(routing.reason().code())) {
        line(
            "",
            "the running launcher decided differently: "
                + launcherRouting.path("reason").asText()
                + " (it reads its own config and environment; restart it to apply this one)");
      }
    }

    private void line(String label, String text) {
      out.printf("%-10s %s%n", label, text);
    }

    private static String bytes(long n) {
      if (n < 1024) {
        return n + " B";
      }
      int unit = (63 - Long.numberOfLeadingZeros(n)) / 10;
      return String.format(
          Locale.ROOT, "%.1f %siB", n / (double) (1L << (unit * 10)), " KMGTPE".charAt(unit));
    }
  }
}
