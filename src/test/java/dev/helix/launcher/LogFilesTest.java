package dev.helix.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogFilesTest {
  @TempDir Path dir;

  @Test
  void aLogOverTheLimitIsRotatedKeepingThreeOldFiles() throws Exception {
    Path log = dir.resolve("server.log");
    byte[] big = new byte[(int) LogFiles.MAX_BYTES];
    java.util.Arrays.fill(big, (byte) '\n');
    for (int round = 1; round <= 5; round++) {
      Files.write(log, big);
      Files.writeString(log, "round " + round + "\n", java.nio.file.StandardOpenOption.APPEND);
      LogFiles.rotate(log);
    }
    assertThat(log).doesNotExist();
    assertThat(LogFiles.tail(dir.resolve("server.log.1"), 1)).isEqualTo("round 5");
    assertThat(LogFiles.tail(dir.resolve("server.log.3"), 1)).isEqualTo("round 3");
    assertThat(dir.resolve("server.log.4")).doesNotExist();
  }

  @Test
  void aSmallLogIsLeftAlone() throws Exception {
    Path log = dir.resolve("server.log");
    Files.writeString(log, "one\ntwo\nthree\n");
    LogFiles.rotate(log);
    assertThat(LogFiles.tail(log, 2)).isEqualTo("two\nthree");
    assertThat(dir.resolve("server.log.1")).doesNotExist();
  }
}
