package dev.helix.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.helix.config.HostNames;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The helix server as a supervised child (docs/launcher.md): recognised by its {@code /health},
 * refused when another program holds its port, asked to exit with {@code POST /admin/shutdown}, and
 * restarted after a crash.
 */
final class ServerChild {
  /** A local helix answers /health in milliseconds; a second means it is not answering. */
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);

  /** Where the server listens and how it is run. */
  record Settings(
      String host,
      int port,
      List<String> command,
      Map<String, String> env,
      Path log,
      Duration startWait,
      @Nullable String bearer) {
    Settings {
      command = List.copyOf(command);
      env = Map.copyOf(env);
    }

    /** The URL the launcher probes: loopback when the server binds every interface. */
    String baseUrl() {
      return "http://" + HostNames.forUrl(HostNames.dialable(host)) + ":" + port;
    }

    String probeHost() {
      String url = baseUrl();
      String h = url.substring("http://".length(), url.lastIndexOf(':'));
      return h.startsWith("[") ? h.substring(1, h.length() - 1) : h;
    }
  }

  /** The {@code server} object of {@code /api/state}; its keys are what the dashboard reads. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record View(
      boolean running,
      String state,
      @Nullable Long pid,
      String host,
      int port,
      String url,
      boolean owned,
      long uptimeS,
      @Nullable String startedAt,
      int restarts,
      boolean autoRestart,
      @Nullable Double nextRestartInS,
      @Nullable String lastRestartReason,
      @Nullable String lastRestartAt,
      @Nullable LastError lastError,
      List<String> command,
      String log) {}

  private final Settings settings;
  private final Probe probe;
  private final ChildSupervisor supervisor;

  ServerChild(Settings settings, Probe probe, ChildSpec.Parts parts) {
    this.settings = settings;
    this.probe = probe;
    this.supervisor =
        new ChildSupervisor(
            new ChildSpec(
                "server",
                "the server",
                "helix server",
                settings.baseUrl(),
                settings.port(),
                settings.command(),
                settings.env(),
                settings.log(),
                settings.startWait(),
                ChildSpec.Restart.AFTER_CRASH,
                false,
                new Rules(settings, probe)),
            parts);
  }

  ChildSupervisor supervisor() {
    return supervisor;
  }

  Settings settings() {
    return settings;
  }

  boolean running() {
    return supervisor.running();
  }

  boolean starting() {
    return supervisor.status().state() instanceof ChildState.Starting;
  }

  /** The store and query totals from the server's {@code GET /stats}, or null when unavailable. */
  @Nullable JsonNode stats() {
    return serverJson("/stats");
  }

  /**
   * The server's {@code GET /health} (its upstream and whether it answers), or null when
   * unavailable.
   */
  @Nullable JsonNode health() {
    return serverJson("/health");
  }

  private @Nullable JsonNode serverJson(String path) {
    if (!running()) {
      return null;
    }
    return probe
        .get(settings.baseUrl() + path, PROBE_TIMEOUT, settings.bearer())
        .filter(Probe.Reply::success)
        .map(r -> probe.parse(r.body()))
        .filter(n -> n != null && n.isObject())
        .orElse(null);
  }

  View view(Instant now) {
    ChildStatus status = supervisor.status();
    ChildState state = status.state();
    ChildState.Child child = state.child();
    long uptime =
        state instanceof ChildState.Running running
            ? Duration.between(running.readySince(), now).toSeconds()
            : 0;
    Double nextRestart =
        state instanceof ChildState.BackingOff backoff
            ? Math.max(0, Duration.between(now, backoff.restartAt()).toMillis()) / 1000.0
            : null;
    ChildStatus.Restart restart = status.lastRestart();
    return new View(
        state instanceof ChildState.Running,
        state.word(),
        child == null ? null : child.pid(),
        settings.host(),
        settings.port(),
        settings.baseUrl(),
        child != null && child.owned(),
        uptime,
        child == null ? null : child.startedAt().toString(),
        status.restarts(),
        status.autoRestart(),
        nextRestart,
        restart == null ? null : restart.reason(),
        restart == null ? null : restart.at().toString(),
        status.lastError(),
        settings.command(),
        settings.log().toString());
  }

  /**
   * How the server is recognised: its /health names helix and its pid; a port it cannot bind is
   * refused.
   */
  private record Rules(Settings settings, Probe probe) implements ChildProbe {
    @Override
    public Optional<Adoptee> answering() {
      // Nothing listening (the usual case) is known from one refused connect, so the child is
      // spawned before the HTTP client has even loaded; the launcher's own start-up overlaps the
      // child's.
      if (Probe.nobodyListening(settings.probeHost(), settings.port())) {
        return Optional.empty();
      }
      return probe.helixPidPatiently(settings.baseUrl()).map(Adoptee::new);
    }

    @Override
    public Optional<String> refusal() {
      if (Probe.nobodyListening(settings.probeHost(), settings.port())
          || Probe.canBind(settings.probeHost(), settings.port())) {
        return Optional.empty();
      }
      String holder =
          PortOwner.find(settings.port())
              .map(ProcessTree::describe)
              .orElse("a process this user cannot see");
      return Optional.of(
          "port "
              + settings.port()
              + " on "
              + settings.host()
              + " is held by another program ("
              + holder
              + ") that is not helix; stop that program or set [server] port to a free port");
    }

    @Override
    public boolean installed() {
      return true; // The server is this program, run by this Java.
    }

    @Override
    public boolean ready(long pid) {
      return answers(pid);
    }

    @Override
    public boolean answers(@Nullable Long pid) {
      return pid != null
          && probe.helixPid(settings.baseUrl(), PROBE_TIMEOUT).filter(pid::equals).isPresent();
    }

    @Override
    public boolean askToExit() {
      Map<String, String> headers =
          settings.bearer() == null
              ? Map.of()
              : Map.of("Authorization", "Bearer " + settings.bearer());
      probe.post(settings.baseUrl() + "/admin/shutdown", Duration.ofSeconds(2), headers, null);
      return true;
    }

    @Override
    public Optional<Long> portHolder() {
      return PortOwner.find(settings.port());
    }

    @Override
    public boolean awaitReleased(Duration wait) {
      return PortOwner.awaitFree(settings.probeHost(), settings.port(), wait);
    }
  }
}
