package dev.helix.launcher;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.helix.config.HeadroomConfig;
import dev.helix.config.HostNames;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Headroom as a supervised child (docs/launcher.md): adopted when one already answers, else started
 * when enabled and installed, else shown as absent with a hint. Its failures are shown, never fatal
 * to the launcher, and it is not restarted after a crash.
 */
final class HeadroomChild {
  private static final Logger log = LoggerFactory.getLogger(HeadroomChild.class);

  /** Headroom answers its health check in milliseconds when it is up; a second means it is not. */
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);

  /** The {@code headroom} object of {@code /api/state}; its keys are what the dashboard reads. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record View(
      String state,
      boolean owned,
      boolean enabled,
      boolean autostart,
      String url,
      @Nullable String dashboardUrl,
      @Nullable Long pid,
      List<String> command,
      @Nullable String hint,
      @Nullable LastError lastError,
      String log) {}

  private final HeadroomConfig config;
  private final Path logFile;
  private final Rules rules;
  private final ChildSupervisor supervisor;

  /**
   * @param env the Headroom child's full environment (routing variables included)
   */
  HeadroomChild(
      HeadroomConfig config,
      Map<String, String> env,
      Path logFile,
      Duration startWait,
      Probe probe,
      ChildSpec.Parts parts) {
    this.config = config;
    this.logFile = logFile;
    this.rules = new Rules(config, Map.copyOf(env), probe);
    this.supervisor =
        new ChildSupervisor(
            new ChildSpec(
                "headroom",
                "Headroom",
                "Headroom",
                config.baseUrl(),
                config.port(),
                config.startArguments(),
                env,
                logFile,
                startWait,
                ChildSpec.Restart.NEVER,
                true,
                rules),
            parts);
  }

  ChildSupervisor supervisor() {
    return supervisor;
  }

  boolean running() {
    return supervisor.running();
  }

  /**
   * The resolution at launcher start, in docs/launcher.md's order; starting happens in the
   * background.
   */
  void resolve() {
    if (supervisor.settle()) {
      log.info("headroom: its dashboard is at {}", config.dashboardUrl());
      return;
    }
    if (!config.enabled()) {
      log.info(
          "headroom: not enabled ([headroom] enabled = false) and not running at {}; nothing to do",
          config.baseUrl());
    } else if (!rules.installed()) {
      log.warn(
          "headroom: enabled, but its command '{}' was not found on PATH; install Headroom or set [headroom] command",
          rules.program());
    } else if (config.autostart()) {
      Thread.ofVirtual()
          .name("headroom-autostart")
          .start(
              () -> {
                ControlResult result = supervisor.start();
                if (!result.succeeded()) {
                  log.warn("headroom: autostart failed: {}", result.message());
                }
              });
    }
  }

  /**
   * The executable that starts Headroom: the first command element, looked up on PATH unless it is
   * a path.
   */
  Optional<Path> commandPath() {
    return rules.commandPath();
  }

  View view() {
    ChildStatus status = supervisor.status();
    ChildState state = status.state();
    ChildState.Child child = state.child();
    boolean running = state instanceof ChildState.Running;
    return new View(
        state.word(),
        child != null && child.owned(),
        config.enabled(),
        config.autostart(),
        config.baseUrl(),
        running ? config.dashboardUrl() : null,
        child == null ? null : child.pid(),
        config.startArguments(),
        hint(state),
        status.lastError(),
        logFile.toString());
  }

  private @Nullable String hint(ChildState state) {
    String stopped =
        config.enabled()
            ? "Headroom is installed but not running; press Start to run it."
            : "Headroom is installed but [headroom] enabled = false, so the launcher does not start it.";
    return switch (state) {
      case ChildState.Absent a ->
          config.enabled()
              ? "Headroom is not installed: its command '"
                  + rules.program()
                  + "' is not on PATH. Install it (pip install"
                  + " headroom-ai) or set [headroom] command; helix works without it."
              : "Headroom is off ([headroom] enabled = false) and not installed; helix works without it. To use it,"
                  + " install it (pip install headroom-ai) and set [headroom] enabled = true.";
      case ChildState.Stopped s -> stopped;
      case ChildState.BackingOff b -> stopped;
      case ChildState.Starting s -> null;
      case ChildState.Running r -> null;
      case ChildState.Stopping s -> null;
    };
  }

  /** How Headroom is recognised: its health check answers; its pid is whatever holds its port. */
  private record Rules(HeadroomConfig config, Map<String, String> env, Probe probe)
      implements ChildProbe {
    String program() {
      return config.command().isEmpty() ? "" : config.command().getFirst();
    }

    Optional<Path> commandPath() {
      if (config.command().isEmpty()) {
        return Optional.empty();
      }
      String first = program();
      if (first.contains("/") || first.contains(File.separator)) {
        Path path = Path.of(first);
        return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
      }
      for (String dir : env.getOrDefault("PATH", "").split(File.pathSeparator)) {
        if (dir.isEmpty()) {
          continue;
        }
        Path candidate = Path.of(dir, first);
        if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
          return Optional.of(candidate);
        }
      }
      return Optional.empty();
    }

    @Override
    public Optional<Adoptee> answering() {
      return probe.headroomReady(config.baseUrl(), PROBE_TIMEOUT)
          ? Optional.of(new Adoptee(PortOwner.find(config.port()).orElse(null)))
          : Optional.empty();
    }

    @Override
    public Optional<String> refusal() {
      return installed()
          ? Optional.empty()
          : Optional.of(
              "the Headroom command '"
                  + program()
                  + "' was not found on"
                  + " PATH; install Headroom (pip install headroom-ai) or set [headroom] command");
    }

    @Override
    public boolean installed() {
      return commandPath().isPresent();
    }

    @Override
    public boolean ready(long pid) {
      return probe.headroomReady(config.baseUrl(), PROBE_TIMEOUT);
    }

    @Override
    public boolean answers(@Nullable Long pid) {
      return probe.headroomReady(config.baseUrl(), PROBE_TIMEOUT);
    }

    @Override
    public boolean askToExit() {
      return false; // Headroom has no shutdown route: TERM is its way to exit cleanly.
    }

    @Override
    public Optional<Long> portHolder() {
      return PortOwner.find(config.port());
    }

    @Override
    public boolean awaitReleased(Duration wait) {
      return PortOwner.awaitFree(
          HostNames.dialable(HostNames.stripBrackets(config.host())), config.port(), wait);
    }
  }
}
