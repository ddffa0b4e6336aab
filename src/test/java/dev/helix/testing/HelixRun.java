package dev.helix.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the built helix application ({@code target/app/helix.jar}) as a child process, the way a
 * user runs it, and captures what it printed.
 */
public final class HelixRun {
  /** What one finished run printed and returned. */
  public record Result(int exitCode, String stdout, String stderr) {}

  private HelixRun() {}

  /** The java of this test JVM (≥ 21). */
  public static String java() {
    return ProcessHandle.current().info().command().orElseThrow();
  }

  /** The built application's folder, from failsafe's {@code helix.app.dir}. */
  public static Path appDir() {
    String dir = System.getProperty("helix.app.dir");
    if (dir == null) {
      throw new IllegalStateException(
          "helix.app.dir is not set: run this test with failsafe (mvn verify)");
    }
    return Path.of(dir);
  }

  /** The command line that starts helix with {@code args}. */
  public static List<String> command(String... args) {
    List<String> command =
        new ArrayList<>(List.of(java(), "-jar", appDir().resolve("helix.jar").toString()));
    command.addAll(List.of(args));
    return command;
  }

  /**
   * Runs helix to completion in {@code cwd} with exactly {@code env} (plus PATH and JAVA_HOME of
   * this machine) and returns its output; fails after 60 s.
   */
  public static Result run(Path cwd, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command(args)).directory(cwd.toFile());
    builder
        .environment()
        .keySet()
        .removeIf(k -> k.startsWith("HELIX_") || k.equals("OPENAI_TARGET_API_URL"));
    builder.environment().putAll(env);
    builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process process = builder.start();
    try {
      // Read stderr on its own thread: a full pipe on one stream must not stall the other.
      var err =
          java.util.concurrent.CompletableFuture.supplyAsync(
              () -> {
                try {
                  return process.getErrorStream().readAllBytes();
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              });
      var out = process.getInputStream().readAllBytes();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException(
            "helix " + String.join(" ", args) + " did not finish in 60 s");
      }
      return new Result(
          process.exitValue(),
          new String(out, StandardCharsets.UTF_8),
          new String(err.join(), StandardCharsets.UTF_8));
    } finally {
      process.destroyForcibly();
    }
  }
}
