package dev.helix.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helix.config.HelixConfig;
import dev.helix.config.HostNames;
import dev.helix.text.Json;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The client side of the launcher, for {@code helix up}, {@code down}, {@code status} and {@code
 * install-service}: the command lines that run helix, where a running launcher listens, how to ask
 * it to shut down, and the clean-up after one that died.
 */
public final class LauncherClient {
  /**
   * A launcher found answering at {@code baseUrl}. {@code serverProblem} is the server's last error
   * while it is stopped with no restart coming (the launcher gave up on it), else null.
   */
  public record Running(
      long pid,
      String baseUrl,
      String dashboardUrl,
      String openaiBaseUrl,
      boolean serverRunning,
      @Nullable String serverProblem) {}

  /**
   * Where the helix of a {@code $HELIX_HOME} listens: the running launcher's own addresses as its
   * state file records them, else the configured ones.
   */
  public record Addresses(String launcherUrl, String serverUrl) {}

  private LauncherClient() {}

  /**
   * The launcher JVM's own options (the ./helix script gives `up` and `launcher` the same): a
   * supervisor needs neither the optimizing compiler nor a parallel collector, and without them its
   * start-up leaves the two cores to the server child booting at the same time (`up` ready about
   * 0.3 s sooner here). Ingest, which does want them, runs in a child of its own.
   */
  public static final List<String> LAUNCHER_JVM_OPTIONS =
      List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

  /**
   * The command line that runs another helix command with this JVM and class path, never through a
   * shell: {@code <java> <JVM options> -cp <class path> dev.helix.cli.Main <subcommand> [--config
   * FILE]}.
   */
  public static List<String> helixCommand(HelixConfig config, String subcommand) {
    return ChildCommand.of(config, subcommand);
  }

  /**
   * True for the line the JVM prints at boot for the incubator module every helix JVM gets (no
   * option turns it off): not helix's words, so what copies a child's stderr to the user's drops
   * it.
   */
  public static boolean isIncubatorNotice(String line) {
    return ChildCommand.isIncubatorNotice(line);
  }

  /**
   * The log file of a detached launcher, rotated like the children's logs before it is reopened.
   */
  public static Path detachedLog(HelixConfig config) throws IOException {
    Path log = config.launcherDir().resolve("launcher.log");
    Files.createDirectories(log.getParent());
    LogFiles.rotate(log);
    return log;
  }

  /**
   * Where this {@code $HELIX_HOME}'s helix listens. A launcher records its addresses in its state
   * file, so {@code helix status}, {@code down}, {@code ingest} and {@code up} find the helix that
   * {@code helix up --config X} started whatever config they are given; with no live launcher
   * recorded, the configured addresses.
   */
  public static Addresses addresses(HelixConfig config) {
    StateFile.State state = new StateFile(config.launcherDir().resolve("state.json")).read();
    String configuredLauncher =
        "http://"
            + HostNames.forUrl(HostNames.dialable(config.launcher().host()))
            + ":"
            + config.launcher().port();
    if (!state.launcherAlive() || state.launcherPort() == null) {
      return new Addresses(configuredLauncher, config.server().baseUrl());
    }
    String server =
        state.server() != null && state.server().url() != null
            ? state.server().url()
            : config.server().baseUrl();
    return new Addresses(recordedLauncherUrl(state), server);
  }

  static String recordedLauncherUrl(StateFile.State state) {
    String host = state.launcherHost() == null ? "127.0.0.1" : state.launcherHost();
    return "http://"
        + HostNames.forUrl(HostNames.dialable(HostNames.stripBrackets(host)))
        + ":"
        + state.launcherPort();
  }

  /** The launcher of this {@code $HELIX_HOME} ({@link #addresses}), if one answers. */
  public static Optional<Running> findRunning(HelixConfig config) {
    String base = addresses(config).launcherUrl();
    URI uri = URI.create(base);
    if (Probe.nobodyListening(HostNames.stripBrackets(uri.getHost()), uri.getPort())) {
      return Optional.empty(); // The common case for `helix up`, answered without an HTTP client.
    }
    ObjectMapper mapper = Json.mapper();
    Probe probe = new Probe(mapper);
    return probe
        .get(base + "/api/state", Duration.ofSeconds(2), null)
        .filter(Probe.Reply::success)
        .flatMap(
            r -> {
              JsonNode node = probe.parse(r.body());
              if (node == null || !"helix-launcher".equals(node.path("service").asText())) {
                return Optional.empty();
              }
              JsonNode server = node.path("server");
              boolean gaveUp =
                  server.path("state").asText().equals("stopped")
                      && server.path("next_restart_in_s").isNull()
                      && server.path("last_error").isObject();
              return Optional.of(
                  new Running(
                      node.path("pid").asLong(),
                      base,
                      node.path("urls").path("dashboard").asText(base + "/"),
                      node.path("urls").path("openai_base").asText(),
                      server.path("running").asBoolean(),
                      gaveUp ? server.path("last_error").path("message").asText() : null));
            });
  }

  /**
   * Asks the running launcher to shut down (it stops what it owns) and waits until its process has
   * exited. Returns false when no launcher answered or it did not stop within {@code wait}.
   */
  public static boolean requestShutdown(HelixConfig config, Duration wait)
      throws Launcher.StartFailure {
    Optional<Running> running = findRunning(config);
    if (running.isEmpty()) {
      return false;
    }
    String token = SessionToken.read(config.launcherDir().resolve("session.token"));
    if (token == null) {
      throw new Launcher.StartFailure(
          "a launcher runs (pid "
              + running.get().pid()
              + ") but its session token "
              + config.launcherDir().resolve("session.token")
              + " is missing; was it started with another HELIX_HOME?");
    }
    Optional<Probe.Reply> reply =
        new Probe(Json.mapper())
            .post(
                running.get().baseUrl() + "/api/control/shutdown",
                Duration.ofSeconds(5),
                Map.of(LauncherHttp.SESSION_HEADER, token),
                "{}");
    if (reply.isPresent() && reply.get().status() == 401) {
      throw new Launcher.StartFailure(
          "the launcher refused the session token in "
              + config.launcherDir().resolve("session.token")
              + "; it may belong to another launcher (check HELIX_HOME)");
    }
    return ProcessHandle.of(running.get().pid())
        .map(h -> ProcessTree.awaitExit(h, wait))
        .orElse(true);
  }

  /**
   * Stops children that a launcher which no longer runs (killed, crashed) started and left behind,
   * as recorded in its state file. Returns one line per child stopped.
   */
  public static List<String> cleanUpOrphans(HelixConfig config) {
    StateFile file = new StateFile(config.launcherDir().resolve("state.json"));
    StateFile.State state = file.read();
    List<String> done = new ArrayList<>();
    if (state.launcherAlive()) {
      return done;
    }
    for (var entry :
        new LinkedHashMap<>(
                Map.of(
                    "server",
                    Optional.ofNullable(state.server()),
                    "headroom",
                    Optional.ofNullable(state.headroom())))
            .entrySet()) {
      Optional<StateFile.Child> child = entry.getValue();
      if (child.isEmpty() || !child.get().owned()) {
        continue;
      }
      child
          .get()
          .liveProcess()
          .ifPresent(
              handle -> {
                boolean gone =
                    ProcessTree.terminate(
                        handle, ChildSupervisor.STEP_WAIT, ChildSupervisor.STEP_WAIT);
                done.add(
                    "stopped the "
                        + entry.getKey()
                        + " (pid "
                        + handle.pid()
                        + ") left running by a launcher (pid "
                        + state.launcherPid()
                        + ") that did not shut down cleanly"
                        + (gone ? "" : ", but it did not exit"));
              });
    }
    if (!done.isEmpty()) {
      try {
        file.write(StateFile.State.EMPTY);
      } catch (IOException e) {
        done.add("could not reset " + file.path() + ": " + e.getMessage());
      }
    }
    return done;
  }
}
