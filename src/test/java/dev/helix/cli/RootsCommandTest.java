package dev.helix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helix.config.ConfigLoader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Roots from the CLI with no server running: the CLI works on the store itself, as ingest does.
 * (Through a running server: WorkspaceIT.)
 */
class RootsCommandTest {
  @TempDir Path dir;
  Path toml;
  Path home;
  StringWriter out;
  StringWriter err;

  @BeforeEach
  void setUp() throws Exception {
    home = Files.createDirectories(dir.resolve("home"));
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    toml = dir.resolve("helix.toml");
    // A port nothing listens on, so no server is found; no vectors to wait for.
    Files.writeString(
        toml,
        "[server]\nport = %d\n[launcher]\nport = %d\n[store]\npath = \"%s\"\nembeddings = false\n"
            .formatted(port, port, dir.resolve("store")));
    write(
        dir.resolve("one/app/Main.java"),
        "/** Starts the shop's checkout service. */\nclass Main {}\n");
    write(
        dir.resolve("two/app/Cart.java"),
        "/** Holds the items of a shopping cart. */\nclass Cart {}\n");
  }

  private int run(String... args) {
    out = new StringWriter();
    err = new StringWriter();
    Cli cli =
        new Cli(
            new ConfigLoader(Map.of("HELIX_HOME", home.toString()), dir, home),
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            Map.of());
    String[] all = java.util.Arrays.copyOf(args, args.length + 2);
    all[args.length] = "--config";
    all[args.length + 1] = toml.toString();
    return new Main(cli).run(all);
  }

  @Test
  void ingestedFoldersAreListedScopedAndRemovedWithoutAServer() throws Exception {
    assertThat(run("ingest", dir.resolve("one/app").toString(), dir.resolve("two/app").toString()))
        .as(err.toString())
        .isZero();
    assertThat(out.toString()).contains("roots: app, app-2");

    assertThat(run("roots", "--json")).as(err.toString()).isZero();
    JsonNode roots = new ObjectMapper().readTree(out.toString()).get("roots");
    assertThat(roots).extracting(r -> r.get("name").asText()).containsExactly("app", "app-2");
    assertThat(roots.get(1).get("files").asLong()).isEqualTo(1);

    assertThat(run("query", "shopping cart items", "--root", "app", "--json"))
        .as(err.toString())
        .isZero();
    assertThat(out.toString()).doesNotContain("Cart.java");
    assertThat(run("query", "shopping cart", "--root", "nope")).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("nope").contains("app, app-2");

    assertThat(run("roots", "remove", "app-2")).as(err.toString()).isZero();
    assertThat(out.toString()).contains("removed root app-2: 1 sources");
    assertThat(run("roots", "remove", "app-2")).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("'app-2'").contains("app");

    assertThat(run("roots")).isZero();
    assertThat(out.toString()).contains("app ").doesNotContain("app-2");
  }

  @Test
  void ingestWithNoPathResyncsEveryRootAndNamesMustMatchThePaths() throws Exception {
    assertThat(run("ingest", dir.resolve("one/app").toString(), "--name", "checkout"))
        .as(err.toString())
        .isZero();
    write(dir.resolve("one/app/Pay.java"), "/** Charges the card. */\nclass Pay {}\n");
    assertThat(run("ingest", "--json")).as(err.toString()).isZero();
    JsonNode report = new ObjectMapper().readTree(out.toString());
    assertThat(report.get("files").asLong()).isEqualTo(1);
    assertThat(report.get("unchanged").asLong()).isEqualTo(1);
    assertThat(report.get("roots")).extracting(JsonNode::asText).containsExactly("checkout");

    assertThat(run("ingest", dir.resolve("two/app").toString(), "--name", "a", "--name", "b"))
        .isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("--name was given 2 times for 1 paths");
  }

  @Test
  void ingestWithNoPathAndNoRootsSaysWhatToDo() throws Exception {
    assertThat(run("ingest")).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("no roots to sync yet").contains("helix ingest PATH");
  }

  private static void write(Path file, String text) throws Exception {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }
}
