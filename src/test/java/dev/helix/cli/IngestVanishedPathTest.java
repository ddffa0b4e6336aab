package dev.helix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helix.config.ConfigLoader;
import dev.helix.testing.ChildJvm;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A folder deleted after it was ingested: its citations go stale, and re-ingesting its path forgets
 * it.
 */
class IngestVanishedPathTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  Path toml;

  record Run(int exit, String out, String err) {}

  @BeforeEach
  void config() throws Exception {
    // No server answers on this port and no launcher is recorded: the CLI works on the store
    // itself.
    toml =
        Files.writeString(
            dir.resolve("helix.toml"),
            """
        [server]
        port = %d
        [store]
        path = "%s"
        embeddings = false
        """
                .formatted(
                    ChildJvm.freePort(), dir.resolve("store").toString().replace("\\", "\\\\")));
  }

  private Run helix(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Path home = dir.resolve("home");
    Cli cli =
        new Cli(
            new ConfigLoader(Map.of("HELIX_HOME", home.toString()), dir, home),
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            Map.of());
    String[] all =
        Stream.concat(Stream.of(args), Stream.of("--config", toml.toString()))
            .toArray(String[]::new);
    return new Run(new Main(cli).run(all), out.toString(), err.toString());
  }

  @Test
  void reIngestingAVanishedFolderRemovesItsSourcesAndSaysHowMany() throws Exception {
    Path gone = Files.createDirectories(dir.resolve("old-project"));
    Files.writeString(
        gone.resolve("Retry.java"),
        "class Retry {\n  // exponential backoff for the flaky billing upstream\n}\n");
    Files.writeString(
        gone.resolve("NOTES.md"), "# Notes\n\nThe billing upstream retries five times.\n");
    Path kept = Files.createDirectories(dir.resolve("kept"));
    Files.writeString(kept.resolve("README.md"), "# Kept\n\nStill here.\n");
    assertThat(helix("ingest", gone.toString()).exit()).isZero();
    assertThat(helix("ingest", kept.toString()).exit()).isZero();
    try (Stream<Path> files = Files.walk(gone)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    Run stale = helix("query", "billing upstream backoff");
    assertThat(stale.out()).contains("STALE");

    Run again = helix("ingest", gone.toString(), "--json");

    assertThat(again.exit()).as(again.err()).isZero();
    JsonNode report = JSON.readTree(again.out());
    assertThat(report.path("removed").asInt()).isEqualTo(2);
    assertThat(report.path("store").path("sources").asInt()).isEqualTo(1);
    assertThat(again.err()).contains(gone + " no longer exists", "2 files removed");
    assertThat(helix("query", "billing upstream backoff").out())
        .doesNotContain("STALE")
        .doesNotContain("old-project");

    Run onceMore = helix("ingest", gone.toString());
    assertThat(onceMore.exit()).as("nothing is known there any more: a bad argument").isEqualTo(2);
    assertThat(onceMore.err()).contains("no file or folder to ingest there");
  }
}
