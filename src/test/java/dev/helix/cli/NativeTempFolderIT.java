package dev.helix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedding model's native runtime leaves nothing in the temp folder (it left a folder a run).
 */
class NativeTempFolderIT {
  @TempDir Path dir;

  @Test
  void anIngestWithVectorsLeavesNoOnnxRuntimeFolderInTheTempFolder() throws Exception {
    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    Path tree = Files.createDirectories(dir.resolve("tree"));
    Files.writeString(
        tree.resolve("notes.md"), "# Notes\n\nVectors are computed by a small sentence model.\n");
    HelixProcess helix = new HelixProcess(dir, true).jvmOption("-Djava.io.tmpdir=" + tmp);

    HelixProcess.Result ingest = helix.run("ingest", tree.toString());

    assertThat(ingest.exit()).as(ingest.err()).isZero();
    assertThat(ingest.err()).contains("vectors are complete");
    try (Stream<Path> left = Files.list(tmp)) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .noneMatch(name -> name.startsWith("onnxruntime-java"));
    }
  }
}
