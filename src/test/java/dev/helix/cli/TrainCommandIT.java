package dev.helix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.helix.testing.HelixRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The training run behind ./helix's start-up cache must succeed silently and leave nothing behind.
 */
class TrainCommandIT {
  @TempDir Path dir;

  @Test
  void trainingTourSucceedsWithNothingOnStdoutAndCleansUp() throws Exception {
    Path tmp = Files.createDirectories(dir.resolve("tmp"));

    HelixRun.Result result =
        HelixRun.run(
            dir,
            Map.of(
                "HELIX_HOME",
                dir.resolve("home").toString(),
                "JAVA_TOOL_OPTIONS",
                "-Djava.io.tmpdir=" + tmp),
            "__train");

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.stdout()).isEmpty();
    assertThat(result.stderr()).contains("helix server listening on").contains("launcher: stopped");
    try (Stream<Path> left = Files.list(tmp)) {
      assertThat(left.filter(p -> p.getFileName().toString().startsWith("helix-train"))).isEmpty();
    }
    assertThat(dir.resolve("home")).doesNotExist();
  }

  @Test
  void trainingIsNotListedInHelp() throws Exception {
    HelixRun.Result help = HelixRun.run(dir, Map.of(), "--help");

    assertThat(help.stdout()).contains("serve").doesNotContain("__train");
  }
}
