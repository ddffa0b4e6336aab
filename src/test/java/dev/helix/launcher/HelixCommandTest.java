package dev.helix.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command lines the launcher and {@code helix up} start other helix commands with. */
class HelixCommandTest {
  @TempDir Path dir;

  @Test
  void everyChildGetsTheVectorModuleSoItsLuceneIsTheOneTheBenchmarksMeasured() throws Exception {
    try (Fixture fixture = new Fixture(dir)) {
      for (String subcommand : List.of("serve", "ingest", "launcher")) {
        List<String> command = LauncherClient.helixCommand(fixture.config(), subcommand);
        assertThat(command).as(subcommand).contains("--add-modules=jdk.incubator.vector");
        assertThat(command.indexOf("--add-modules=jdk.incubator.vector"))
            .as("a JVM option, before the class path")
            .isLessThan(command.indexOf("-cp"));
        assertThat(command.stream().filter(a -> a.startsWith("--add-modules")))
            .as("given once")
            .hasSize(1);
      }
    }
  }
}
