package dev.helix.launcher;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.helix.text.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code $HELIX_HOME/launcher/state.json}: what the launcher runs, so {@code helix down}, a second
 * {@code helix up} and the next launcher (cleaning up after a killed one) know it. Written
 * atomically; keys it does not know are dropped; a corrupt file is ignored with a warning.
 */
final class StateFile {
  private static final Logger log = LoggerFactory.getLogger(StateFile.class);

  /**
   * One child as recorded. {@code processStart} tells a live pid from a reused one; {@code url} is
   * where the launcher reaches it, so a CLI given another config still finds it.
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.ALWAYS)
  record Child(
      @Nullable Long pid,
      @Nullable Integer port,
      @Nullable String url,
      boolean owned,
      @Nullable String state,
      @Nullable String startedAt,
      @Nullable String processStart,
      @Nullable List<String> command,
      int restarts,
      @Nullable String lastRestartReason,
      @Nullable String lastRestartAt) {

    /** The live process this record names, when its pid still belongs to the same process. */
    Optional<ProcessHandle> liveProcess() {
      if (pid == null) {
        return Optional.empty();
      }
      return ProcessHandle.of(pid)
          .filter(ProcessHandle::isAlive)
          .filter(h -> sameStart(h, processStart));
    }
  }

  /** The whole file. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record State(
      @Nullable Long launcherPid,
      @Nullable String launcherProcessStart,
      @Nullable String launcherHost,
      @Nullable Integer launcherPort,
      @Nullable String updatedAt,
      @Nullable Child server,
      @Nullable Child headroom) {

    static final State EMPTY = new State(null, null, null, null, null, null, null);

    /** True when the launcher this file names is still alive. */
    boolean launcherAlive() {
      return launcherPid != null
          && ProcessHandle.of(launcherPid)
              .filter(ProcessHandle::isAlive)
              .filter(h -> sameStart(h, launcherProcessStart))
              .isPresent();
    }
  }

  private final Path file;
  private final ObjectMapper mapper;

  StateFile(Path file) {
    this.file = file;
    this.mapper = Json.mapper().enable(SerializationFeature.INDENT_OUTPUT);
  }

  Path path() {
    return file;
  }

  /** The recorded state; {@link State#EMPTY} when there is no file or it cannot be read. */
  State read() {
    if (!Files.isRegularFile(file)) {
      return State.EMPTY;
    }
    try {
      State state = mapper.readValue(file.toFile(), State.class);
      return state == null ? State.EMPTY : state;
    } catch (IOException e) {
      log.warn(
          "ignoring the launcher state file {}: it is not valid ({}); it will be rewritten",
          file,
          e.getMessage() == null
              ? e.getClass().getSimpleName()
              : e.getMessage().lines().findFirst().orElse(""));
      return State.EMPTY;
    }
  }

  /** Replaces the file with {@code state}, atomically. */
  void write(State state) throws IOException {
    AtomicFiles.writeString(file, mapper.writeValueAsString(state) + "\n");
  }

  /** When a process started, as recorded, so a recycled pid is not mistaken for ours. */
  static @Nullable String processStart(ProcessHandle handle) {
    return handle.info().startInstant().map(Instant::toString).orElse(null);
  }

  private static boolean sameStart(ProcessHandle handle, @Nullable String recorded) {
    String actual = processStart(handle);
    return recorded == null || actual == null || recorded.equals(actual);
  }
}
