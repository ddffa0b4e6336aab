package dev.helix.reliability;

import dev.helix.testing.HelixRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code helix serve} child process on a free port, started from {@code dir} (which gets the
 * helix.toml) with HELIX_HOME under it and stdout/stderr captured to files. Closing it kills the
 * process if it still runs.
 */
final class ServeProcess implements AutoCloseable {
  final Process process;
  final int port;
  final Path stdout;
  final Path stderr;

  private ServeProcess(Process process, int port, Path stdout, Path stderr) {
    this.process = process;
    this.port = port;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /**
   * Starts {@code helix serve} with a helix.toml of {@code [server] port = <free port>} followed by
   * {@code serverKeys} (more [server] keys, then any other sections) and the given environment;
   * waits until {@code /health} answers, or fails naming what the child printed.
   */
  static ServeProcess start(Path dir, String serverKeys, Map<String, String> env)
      throws IOException, InterruptedException {
    int port = dev.helix.testing.ChildJvm.freePort();
    Files.writeString(dir.resolve("helix.toml"), "[server]\nport = " + port + "\n" + serverKeys);
    ProcessBuilder builder = new ProcessBuilder(HelixRun.command("serve")).directory(dir.toFile());
    builder
        .environment()
        .keySet()
        .removeIf(k -> k.startsWith("HELIX_") || k.equals("OPENAI_TARGET_API_URL"));
    builder.environment().put("HELIX_HOME", dir.resolve("home").toString());
    builder.environment().putAll(env);
    Path stdout = dir.resolve("serve.stdout");
    Path stderr = dir.resolve("serve.stderr");
    builder
        .redirectOutput(stdout.toFile())
        .redirectError(stderr.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    ServeProcess serve = new ServeProcess(builder.start(), port, stdout, stderr);
    AttackTarget probe =
        new AttackTarget("helix serve", port, "/admin/shutdown", "/health", List.of());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (!probe.stillAlive()) {
      if (!serve.process.isAlive() || System.nanoTime() > deadline) {
        serve.close();
        throw new IllegalStateException(
            "helix serve did not answer /health on port "
                + port
                + " (exit "
                + (serve.process.isAlive() ? "none" : serve.process.exitValue())
                + "); stderr:\n"
                + serve.stderrText());
      }
      Thread.sleep(100);
    }
    return serve;
  }

  String stdoutText() throws IOException {
    return Files.readString(stdout, StandardCharsets.UTF_8);
  }

  String stderrText() throws IOException {
    return Files.readString(stderr, StandardCharsets.UTF_8);
  }

  /** Waits for the child to exit on its own; false when it still runs after {@code seconds}. */
  boolean exits(int seconds) throws InterruptedException {
    return process.waitFor(seconds, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }
}
