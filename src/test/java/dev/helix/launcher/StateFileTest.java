package dev.helix.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateFileTest {
  @TempDir Path dir;

  private static StateFile.Child server(long pid) {
    return new StateFile.Child(
        pid,
        11437,
        "http://127.0.0.1:11437",
        true,
        "running",
        "2026-01-01T00:00:00Z",
        null,
        List.of("java", "-cp", "x", "dev.helix.cli.Main", "serve"),
        2,
        "crash: exit 137",
        "2026-01-01T00:01:00Z");
  }

  @Test
  void whatIsWrittenIsReadBack() throws Exception {
    StateFile file = new StateFile(dir.resolve("launcher/state.json"));
    StateFile.State state =
        new StateFile.State(42L, null, "127.0.0.1", 11438, "now", server(43), null);
    file.write(state);
    assertThat(file.read()).isEqualTo(state);
    assertThat(Files.readString(file.path()))
        .contains("\"last_restart_reason\" : \"crash: exit 137\"");
  }

  @Test
  void writingLeavesNoTemporaryFileBehind() throws Exception {
    StateFile file = new StateFile(dir.resolve("state.json"));
    for (int i = 0; i < 5; i++) {
      file.write(new StateFile.State((long) i, null, "127.0.0.1", 11438, "now", server(i), null));
    }
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("state.json");
    }
    assertThat(file.read().launcherPid()).isEqualTo(4L);
  }

  @Test
  void unknownKeysAreDroppedOnTheNextWrite() throws Exception {
    Path path = dir.resolve("state.json");
    Files.writeString(
        path,
        """
        {"launcher_pid": 7, "from_the_future": {"x": 1}, "server": {"pid": 8, "owned": true, "colour": "blue"}}
        """);
    StateFile file = new StateFile(path);
    StateFile.State state = file.read();
    assertThat(state.launcherPid()).isEqualTo(7L);
    assertThat(state.server()).isNotNull();
    assertThat(state.server().pid()).isEqualTo(8L);
    file.write(state);
    assertThat(Files.readString(path)).doesNotContain("from_the_future").doesNotContain("colour");
  }

  @Test
  void aCorruptFileIsIgnored() throws Exception {
    Path path = dir.resolve("state.json");
    Files.writeString(path, "{\"launcher_pid\": 7, \"server\": {\"pid\": ");
    assertThat(new StateFile(path).read()).isEqualTo(StateFile.State.EMPTY);
    Files.writeString(path, "[1, 2, 3]");
    assertThat(new StateFile(path).read()).isEqualTo(StateFile.State.EMPTY);
  }

  @Test
  void aRecycledPidIsNotTakenForTheRecordedProcess() {
    ProcessHandle self = ProcessHandle.current();
    StateFile.Child sameProcess =
        new StateFile.Child(
            self.pid(),
            1,
            null,
            true,
            "running",
            null,
            StateFile.processStart(self),
            List.of(),
            0,
            null,
            null);
    StateFile.Child otherStart =
        new StateFile.Child(
            self.pid(),
            1,
            null,
            true,
            "running",
            null,
            "2001-01-01T00:00:00Z",
            List.of(),
            0,
            null,
            null);
    assertThat(sameProcess.liveProcess()).isPresent();
    assertThat(otherStart.liveProcess()).isEmpty();
  }
}
