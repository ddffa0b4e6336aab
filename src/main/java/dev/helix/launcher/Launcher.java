package dev.helix.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.helix.config.HelixConfig;
import dev.helix.config.HostNames;
import dev.helix.config.Routing;
import dev.helix.http.LocalGuard;
import dev.helix.text.Json;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The launcher (docs/launcher.md): supervises the helix server and Headroom, serves the dashboard
 * and the control API, and records what it runs in {@code $HELIX_HOME/launcher/}. The client side
 * that {@code helix up} and {@code helix down} use is {@link LauncherClient}.
 */
public final class Launcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Launcher.class);

  /** How often adopted children are checked: fast enough for a dashboard that polls every 2 s. */
  private static final Duration MONITOR_EVERY = Duration.ofSeconds(2);

  /** The launcher could not start; the message says why and what to do. */
  public static final class StartFailure extends Exception {
    private static final long serialVersionUID = 1L;

    public StartFailure(String message) {
      super(message);
    }
  }

  private final HelixConfig config;
  private final Clock clock;
  private final Instant startedAt;
  private final ObjectMapper mapper = Json.mapper();
  private final Probe probe = new Probe(mapper);
  private final ScheduledExecutorService scheduler;
  private final StateFile stateFile;
  private final Path tokenFile;
  private final Routing routing;
  private final ServerChild server;
  private final ServerRelay relay;
  private final HeadroomChild headroom;
  private final HttpServer http;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final AtomicBoolean closing = new AtomicBoolean();
  private final HomeLock homeLock;
  private volatile @Nullable ControlResult initialStart;

  private Launcher(
      HelixConfig config,
      Map<String, String> env,
      Clock clock,
      HttpServer http,
      HomeLock homeLock) {
    this.config = config;
    this.homeLock = homeLock;
    this.clock = clock;
    this.startedAt = clock.instant();
    this.http = http;
    Path dir = config.launcherDir();
    this.stateFile = new StateFile(dir.resolve("state.json"));
    this.tokenFile = dir.resolve("session.token");
    this.routing = config.routing();
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "helix-launcher-scheduler");
              t.setDaemon(true);
              return t;
            });
    ChildSpec.Parts parts =
        new ChildSpec.Parts(clock, Scheduler.on(scheduler), Spawner.os(), this::persistSoon);
    ServerChild.Settings settings =
        new ServerChild.Settings(
            config.server().host(),
            config.server().port(),
            LauncherClient.helixCommand(config, "serve"),
            routing.serverEnvironment(env),
            dir.resolve("server.log"),
            config.launcher().startWait(),
            config.server().token());
    this.server = new ServerChild(settings, probe, parts);
    this.relay = new ServerRelay(server, probe, mapper);
    this.headroom =
        new HeadroomChild(
            config.headroom(),
            routing.headroomEnvironment(env),
            dir.resolve("headroom.log"),
            config.launcher().startWait(),
            probe,
            parts);
  }

  /**
   * Starts a launcher: binds its port, resolves Headroom, starts (or adopts) the server.
   *
   * @param env the launcher's environment; each child gets it plus the routing variables
   * @param superviseServer false only in tests that exercise the HTTP surface alone
   */
  public static Launcher start(
      HelixConfig config, Map<String, String> env, Clock clock, boolean superviseServer)
      throws StartFailure, IOException {
    return start(config, env, clock, superviseServer, launcher -> {});
  }

  /**
   * As {@link #start(HelixConfig, Map, Clock, boolean)}, telling {@code created} of the launcher
   * before it starts anything, so a shutdown hook can be in place while the server boots.
   */
  public static Launcher start(
      HelixConfig config,
      Map<String, String> env,
      Clock clock,
      boolean superviseServer,
      java.util.function.Consumer<Launcher> created)
      throws StartFailure, IOException {
    checkConfig(config);
    Path dir = config.launcherDir();
    HomeLock lock = HomeLock.tryAcquire(dir).orElseThrow(() -> alreadyRuns(config));
    try {
      return start(config, env, clock, superviseServer, created, lock);
    } catch (StartFailure | IOException | RuntimeException e) {
      lock.close();
      throw e;
    }
  }

  private static Launcher start(
      HelixConfig config,
      Map<String, String> env,
      Clock clock,
      boolean superviseServer,
      java.util.function.Consumer<Launcher> created,
      HomeLock lock)
      throws StartFailure, IOException {
    // With the server port free (the usual case) no orphan of ours is serving on it, so the state
    // file is read after the server child is spawned, off the path a user waits on.
    boolean serverPortFree =
        Probe.nobodyListening(
            HostNames.dialable(HostNames.stripBrackets(config.server().host())),
            config.server().port());
    if (!serverPortFree) {
      LauncherClient.cleanUpOrphans(config).forEach(line -> log.warn("{}", line));
      if (superviseServer) {
        refuseHeldServerPort(config);
      }
    }
    HttpServer http;
    try {
      http =
          HttpServer.create(
              new InetSocketAddress(config.launcher().host(), config.launcher().port()), 64);
    } catch (BindException e) {
      throw new StartFailure(
          "the launcher port "
              + config.launcher().host()
              + ":"
              + config.launcher().port()
              + " is already in use; if a launcher runs there, `helix down` stops it, else set [launcher] port to a free port");
    }
    Launcher launcher = new Launcher(config, env, clock, http, lock);
    created.accept(launcher);
    try {
      launcher.begin(superviseServer, !serverPortFree);
    } catch (StartFailure | IOException | RuntimeException e) {
      launcher.close();
      throw e;
    }
    return launcher;
  }

  private void begin(boolean superviseServer, boolean orphansHandled)
      throws StartFailure, IOException {
    Thread serverStart = null;
    if (superviseServer) {
      // The server child boots while the launcher sets up its own routes: neither waits for the
      // other.
      serverStart =
          Thread.ofVirtual()
              .name("helix-server-start")
              .start(() -> initialStart = server.supervisor().start());
    }
    if (!orphansHandled) {
      LauncherClient.cleanUpOrphans(config).forEach(line -> log.warn("{}", line));
    }
    SessionToken token = SessionToken.generate(new SecureRandom());
    token.writeTo(tokenFile);
    LocalGuard guard = new LocalGuard(config.launcher().host(), config.server().allowedHosts());
    LauncherHttp routes =
        new LauncherHttp(
            guard, token, tokenFile, new Actions(), this::port, new Dashboard(), mapper);
    http.createContext("/", routes::handle);
    http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    http.start();
    // Recorded at once, so a CLI given another config finds this launcher while the server boots.
    persist();
    log.info("launcher: dashboard at {}", dashboardUrl());
    log.info(
        "launcher: routing {} ({}: {}); the server dials {}{}",
        routing.routeViaHeadroom() ? "via Headroom" : "direct",
        routing.reason().code(),
        routing.reason().explanation(),
        routing.serverUpstream(),
        routing.openaiTargetApiUrl() == null
            ? ""
            : ", Headroom forwards to " + routing.openaiTargetApiUrl());
    Thread headroomResolved = Thread.ofVirtual().name("headroom-resolve").start(headroom::resolve);
    if (serverStart != null) {
      await(serverStart);
    }
    await(headroomResolved);
    persist();
    var unused =
        scheduler.scheduleWithFixedDelay(
            this::monitor,
            MONITOR_EVERY.toMillis(),
            MONITOR_EVERY.toMillis(),
            TimeUnit.MILLISECONDS);
  }

  /**
   * Refuses to start when the server's port is held by a program that is not helix
   * (docs/launcher.md).
   */
  private static void refuseHeldServerPort(HelixConfig config) throws StartFailure {
    String host = HostNames.dialable(HostNames.stripBrackets(config.server().host()));
    int port = config.server().port();
    if (Probe.nobodyListening(host, port)) {
      return;
    }
    String base = "http://" + HostNames.forUrl(host) + ":" + port;
    if (Probe.canBind(host, port) || new Probe(Json.mapper()).helixPidPatiently(base).isPresent()) {
      return;
    }
    String holder =
        PortOwner.find(port).map(ProcessTree::describe).orElse("a process this user cannot see");
    throw new StartFailure(
        "the server port "
            + config.server().host()
            + ":"
            + port
            + " is held by another program ("
            + holder
            + ") that is not helix; stop it, or set [server] port to a free port");
  }

  /** The refusal of a second launcher on one {@code $HELIX_HOME}, naming the one that runs. */
  private static StartFailure alreadyRuns(HelixConfig config) {
    StateFile.State state = new StateFile(config.launcherDir().resolve("state.json")).read();
    String which =
        state.launcherAlive() && state.launcherPort() != null
            ? "pid "
                + state.launcherPid()
                + ", dashboard "
                + LauncherClient.recordedLauncherUrl(state)
                + "/"
            : "its pid is not recorded yet in " + config.launcherDir().resolve("state.json");
    return new StartFailure(
        "another helix launcher already runs for HELIX_HOME "
            + config.home()
            + " ("
            + which
            + "); `helix status` shows it and `helix down` stops it, whatever --config they get; to run a second helix,"
            + " give it a HELIX_HOME of its own");
  }

  private static void await(Thread thread) {
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void monitor() {
    try {
      server.supervisor().monitor();
      headroom.supervisor().monitor();
    } catch (RuntimeException e) {
      log.warn("launcher: monitoring the children failed: {}", e.toString());
    }
  }

  /** The port the launcher listens on (useful with port 0). */
  public int port() {
    return http.getAddress().getPort();
  }

  public String dashboardUrl() {
    return "http://"
        + HostNames.forUrl(HostNames.dialable(config.launcher().host()))
        + ":"
        + port()
        + "/";
  }

  public String openaiBaseUrl() {
    return server.settings().baseUrl() + "/v1";
  }

  /** What starting the server answered at launcher start, or null when it was not started. */
  public Optional<String> serverStartProblem() {
    ControlResult result = initialStart;
    return result == null || result.status() == 200
        ? Optional.empty()
        : Optional.of(result.message());
  }

  /**
   * Blocks until the launcher has shut down (control API, {@code helix down}, or {@link #close()}).
   */
  public void awaitShutdown() throws InterruptedException {
    stopped.await();
  }

  /** Stops what the launcher owns (never an adopted child), then its HTTP server. */
  @Override
  public void close() {
    if (!closing.compareAndSet(false, true)) {
      try {
        stopped.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return;
    }
    try {
      server.supervisor().shutdown();
      headroom.supervisor().shutdown();
      http.stop(0);
      scheduler.shutdownNow();
      try {
        stateFile.write(
            new StateFile.State(
                null,
                null,
                config.launcher().host(),
                port(),
                clock.instant().toString(),
                server.supervisor().record(),
                headroom.supervisor().record()));
        Files.deleteIfExists(tokenFile);
      } catch (IOException e) {
        log.warn(
            "launcher: could not record the shutdown in {}: {}", stateFile.path(), e.getMessage());
      }
      log.info("launcher: stopped");
    } finally {
      homeLock.close();
      stopped.countDown();
    }
  }

  private void persistSoon() {
    try {
      scheduler.execute(this::persist);
    } catch (RejectedExecutionException e) {
      // Shutting down: close() writes the final state itself.
    }
  }

  private void persist() {
    if (closing.get()) {
      return;
    }
    ProcessHandle self = ProcessHandle.current();
    try {
      stateFile.write(
          new StateFile.State(
              self.pid(),
              StateFile.processStart(self),
              config.launcher().host(),
              port(),
              clock.instant().toString(),
              server.supervisor().record(),
              headroom.supervisor().record()));
    } catch (IOException e) {
      log.warn(
          "launcher: could not write {}: {}; helix down may not find the children",
          stateFile.path(),
          e.getMessage());
    }
  }

  private LauncherState state() {
    Instant now = clock.instant();
    JsonNode health = server.health();
    List<String> warnings = new ArrayList<>();
    if (routing.routeViaHeadroom() && !headroom.running()) {
      warnings.add(
          "Chat calls are routed through Headroom at "
              + config.headroom().baseUrl()
              + ", but Headroom is not answering: chat calls will fail with 502 until it runs. Start Headroom, or set "
              + "[headroom] route_upstream = false (or HELIX_HEADROOM_ROUTE_UPSTREAM_AUTO=0) to call "
              + routing.openaiTargetApiUrl()
              + " directly.");
    }
    return new LauncherState(
        "helix-launcher",
        version(),
        ProcessHandle.current().pid(),
        startedAt.toString(),
        Duration.between(startedAt, now).toSeconds(),
        new LauncherState.Urls(dashboardUrl(), server.settings().baseUrl(), openaiBaseUrl()),
        server.view(now),
        headroom.view(),
        routing.asMap(),
        routing.reason().explanation(),
        server.stats(),
        health == null || !health.path("upstream").isObject() ? null : health.path("upstream"),
        warnings,
        new LauncherState.Files(
            stateFile.path().toString(), tokenFile.toString(), config.launcherDir().toString()));
  }

  private final class Actions implements LauncherHttp.Actions {
    @Override
    public ControlResult control(String action, String target, boolean force) {
      try {
        return switch (target + " " + action) {
          case "server start" -> server.supervisor().start();
          case "server stop" -> server.supervisor().stop(force);
          case "server restart" -> server.supervisor().restart(force);
          case "headroom start" -> headroom.supervisor().start();
          case "headroom stop" -> headroom.supervisor().stop(force);
          case "headroom restart" -> headroom.supervisor().restart(force);
          default -> ControlResult.failed("unknown control " + action + " for " + target);
        };
      } catch (RuntimeException e) {
        log.error("control: {} {} failed", action, target, e);
        return ControlResult.failed(action + " " + target + " failed: " + e);
      }
    }

    @Override
    public Object state() {
      return Launcher.this.state();
    }

    @Override
    public void shutdownSoon() {
      Thread.ofPlatform().name("helix-launcher-shutdown").start(Launcher.this::close);
    }

    @Override
    public ServerRelay.Answer context(String body) {
      return relay.context(body);
    }

    @Override
    public ServerRelay.Answer source(Map<String, String> query) {
      return relay.source(query);
    }
  }

  private static String version() {
    String v = Launcher.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  /**
   * Refuses what the launcher cannot run safely: a bind beyond loopback without a token, or two of
   * its listeners on one port, where one of them fails to bind and the other answers for it.
   */
  public static void checkConfig(HelixConfig config) throws StartFailure {
    if (!HostNames.isLoopback(config.launcher().host()) && !config.server().hasToken()) {
      throw new StartFailure(
          "refusing to bind the launcher to "
              + config.launcher().host()
              + " without a token: set [server] token or HELIX_TOKEN, or set [launcher] host = \"127.0.0.1\"");
    }
    List<Listener> listeners =
        new ArrayList<>(
            List.of(
                new Listener("[server]", config.server().host(), config.server().port()),
                new Listener("[launcher]", config.launcher().host(), config.launcher().port())));
    if (config.headroom().enabled()) {
      listeners.add(new Listener("[headroom]", config.headroom().host(), config.headroom().port()));
    }
    for (int i = 0; i < listeners.size(); i++) {
      for (int j = i + 1; j < listeners.size(); j++) {
        Listener a = listeners.get(i);
        Listener b = listeners.get(j);
        // Port 0 asks the kernel for a free port, a different one for each listener.
        if (a.port() == b.port() && a.port() != 0 && a.overlaps(b)) {
          throw new StartFailure(
              a.section()
                  + " port and "
                  + b.section()
                  + " port are both "
                  + a.port()
                  + "; each needs a port of its own: set one of them to another free port");
        }
      }
    }
  }

  /** One port the launcher binds or expects a child on. */
  private record Listener(String section, String host, int port) {
    boolean overlaps(Listener other) {
      String a = HostNames.stripBrackets(host);
      String b = HostNames.stripBrackets(other.host);
      return a.equalsIgnoreCase(b)
          || isWildcard(a)
          || isWildcard(b)
          || (HostNames.isLoopback(a)
              && HostNames.isLoopback(b)
              && (isLocalhost(a) || isLocalhost(b)));
    }

    /** An empty host is read as a wildcard too: on the safe side, it overlaps every other. */
    private static boolean isWildcard(String host) {
      return host.isEmpty() || HostNames.isWildcard(host);
    }

    /** localhost may resolve to either loopback address, so it overlaps both. */
    private static boolean isLocalhost(String host) {
      return host.equalsIgnoreCase("localhost");
    }
  }
}
