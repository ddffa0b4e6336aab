package dev.helix.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code helix compress} run as a child process of the built application. */
class CompressCommandIT {
  @TempDir Path dir;

  record Run(int exit, String out, String err) {}

  private Run helix(String stdin, String... args) throws Exception {
    String java = ProcessHandle.current().info().command().orElseThrow();
    Path app = Path.of(System.getProperty("helix.app.dir", "target/app"));
    List<String> command =
        new ArrayList<>(List.of(java, "-jar", app.resolve("helix.jar").toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("HELIX_"));
    builder.environment().put("HELIX_HOME", dir.resolve("home").toString());
    // Point the bridge at a port where nothing listens, so a Headroom on this machine is never
    // used.
    int closed = dev.helix.testing.ChildJvm.freePort();
    Files.writeString(dir.resolve("helix.toml"), "[headroom]\nport = " + closed + "\n");
    Process process = builder.start();
    CompletableFuture<String> out =
        CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
    CompletableFuture<String> err =
        CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
    process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    process.getOutputStream().close();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("helix compress did not finish: " + command);
    }
    return new Run(process.exitValue(), out.get(), err.get());
  }

  private static String read(java.io.InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String buildLog() {
    StringBuilder log = new StringBuilder();
    for (int i = 0; i < 2000; i++) {
      log.append("[INFO] Downloaded artifact ")
          .append(i)
          .append(" from central (")
          .append(i % 13)
          .append(" kB)\n");
      if (i == 1234) {
        log.append("[ERROR] COMPILATION ERROR: Invoice.java:[17,3] cannot find symbol\n");
      }
    }
    return log.toString();
  }

  @Test
  void aFileIsCompressedIntoOneJsonDocument() throws Exception {
    Path file = dir.resolve("build.log");
    Files.writeString(file, buildLog());

    Run run = helix("", "compress", file.toString(), "--target", "200", "--json");

    assertThat(run.exit()).as(run.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(run.out());
    assertThat(json.path("kind").asText()).isEqualTo("log");
    assertThat(json.path("via").asText()).isEqualTo("local");
    assertThat(json.path("tokens").asInt()).isBetween(1, 200);
    assertThat(json.path("omitted").asInt()).isGreaterThan(1900);
    assertThat(json.path("text").asText())
        .contains("[ERROR] COMPILATION ERROR: Invoice.java:[17,3] cannot find symbol");
  }

  @Test
  void standardInputIsCompressedAndOnlyTheTextIsPrinted() throws Exception {
    Run run = helix(buildLog(), "compress", "-", "--target", "150", "--query", "artifact 777");

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("[INFO] Downloaded artifact 777 from central")
        .contains("[ERROR] COMPILATION ERROR")
        .contains("lines omitted")
        .doesNotContain("[main]")
        .doesNotContain("WARN");
  }

  /** Issue 20: at a small target, JSON came out as text with unbalanced braces. */
  @Test
  void jsonStaysValidJsonOrTheCommandExitsWithTwoNamingTheSmallestTargetThatWorks()
      throws Exception {
    StringBuilder json = new StringBuilder("{\"name\": \"react\", \"versions\": [");
    for (int i = 0; i < 400; i++) {
      json.append(i > 0 ? ", " : "").append("\"0.").append(i).append(".0\"");
    }
    json.append("], \"license\": \"MIT\"}");

    Run small = helix(json.toString(), "compress", "-", "--target", "40");
    Run tiny = helix(json.toString(), "compress", "-", "--target", "5");

    assertThat(small.exit()).as(small.err()).isZero();
    assertThatCode(() -> new ObjectMapper().readTree(small.out()))
        .as(small.out())
        .doesNotThrowAnyException();
    assertThat(tiny.exit()).isEqualTo(2);
    assertThat(tiny.out()).isEmpty();
    assertThat(tiny.err()).containsPattern("--target 5 is too small .*; use --target \\d+ or more");
    int smallest =
        Integer.parseInt(tiny.err().replaceAll("(?s).*use --target (\\d+) or more.*", "$1"));
    Run enough = helix(json.toString(), "compress", "-", "--target", Integer.toString(smallest));
    assertThat(enough.exit()).as(enough.err()).isZero();
    assertThatCode(() -> new ObjectMapper().readTree(enough.out())).doesNotThrowAnyException();
  }

  @Test
  void anUnknownKindExitsWithTwoAndListsTheAllowedKinds() throws Exception {
    Run run = helix("x", "compress", "-", "--kind", "yaml");

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err())
        .contains("--kind: unknown value 'yaml'; use one of: auto, json, log, diff, code, prose");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void aMissingFileExitsWithTwoAndNamesIt() throws Exception {
    Run run = helix("", "compress", "no-such.log");

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err())
        .contains("no such file: no-such.log")
        .contains("- to read standard input");
    assertThat(run.out()).isEmpty();
  }
}
