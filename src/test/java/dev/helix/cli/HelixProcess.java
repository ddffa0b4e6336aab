package dev.helix.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the built application ({@code helix.app.dir}) as a child process with its own home and
 * store.
 */
final class HelixProcess {
  record Result(int exit, String out, String err) {}

  private final Path home;
  private final Path config;
  private final List<String> jvmOptions = new ArrayList<>();

  /**
   * A home and config in {@code dir}; the server port is a free one, so no other helix answers
   * there.
   */
  HelixProcess(Path dir, boolean embeddings) throws IOException {
    this.home = Files.createDirectories(dir.resolve("home"));
    this.config = dir.resolve("helix.toml");
    int port = dev.helix.testing.ChildJvm.freePort();
    Files.writeString(
        config,
        """
        [server]
        port = %d
        [store]
        path = "%s"
        embeddings = %s
        """
            .formatted(port, dir.resolve("store").toString().replace("\\", "\\\\"), embeddings));
  }

  /** Runs helix's JVM with {@code option} too. */
  HelixProcess jvmOption(String option) {
    jvmOptions.add(option);
    return this;
  }

  Path store() {
    return home.getParent().resolve("store");
  }

  ProcessBuilder builder(String... args) {
    String java = ProcessHandle.current().info().command().orElseThrow();
    Path app = Path.of(System.getProperty("helix.app.dir", "target/app"));
    List<String> cmd = new ArrayList<>(List.of(java));
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of("-jar", app.resolve("helix.jar").toString()));
    cmd.addAll(List.of(args));
    cmd.addAll(List.of("--config", config.toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("HELIX_HOME", home.toString());
    pb.environment().remove("HELIX_STORE_PATH");
    pb.environment().remove("HELIX_CONFIG");
    return pb;
  }

  Result run(String... args) throws IOException, InterruptedException {
    Path out = Files.createTempFile(home, "out", ".txt");
    Path err = Files.createTempFile(home, "err", ".txt");
    Process p = builder(args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    try {
      if (!p.waitFor(5, TimeUnit.MINUTES)) {
        throw new AssertionError(
            "helix " + String.join(" ", args) + " did not finish within 5 minutes");
      }
      return new Result(
          p.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      p.destroyForcibly();
    }
  }
}
