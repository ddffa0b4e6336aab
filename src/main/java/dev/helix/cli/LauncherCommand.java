package dev.helix.cli;

import dev.helix.config.HelixConfig;
import dev.helix.launcher.Launcher;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code helix launcher}: runs the launcher (server supervision, Headroom, dashboard) in the
 * foreground.
 */
@Command(
    name = "launcher",
    mixinStandardHelpOptions = true,
    description =
        "Run the launcher in the foreground: supervises the server (and Headroom), serves the dashboard and control API.")
final class LauncherCommand implements Callable<Integer> {
  private final Cli cli;

  @Mixin ConfigOption config = new ConfigOption();

  LauncherCommand(Cli cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() throws Exception {
    HelixConfig effective = cli.load(config.path).config();
    return runForeground(cli, effective);
  }

  /**
   * Refuses a configuration the launcher cannot run ({@link Launcher#checkConfig}), exit status 2.
   */
  static void checkConfig(HelixConfig config) {
    try {
      Launcher.checkConfig(config);
    } catch (Launcher.StartFailure e) {
      throw new CommandFailedException(e.getMessage(), ExitCodes.USAGE);
    }
  }

  /**
   * Starts the launcher, prints its URLs, and blocks until it is shut down or the JVM is stopped.
   */
  static int runForeground(Cli cli, HelixConfig config) throws IOException, InterruptedException {
    checkConfig(config);
    Launcher launcher;
    java.util.concurrent.atomic.AtomicReference<Launcher> created =
        new java.util.concurrent.atomic.AtomicReference<>();
    // Ctrl-C and SIGTERM run this hook: stop what the launcher owns and nothing else. It is in
    // place
    // before the server is spawned, so an interrupt during start-up leaves no orphan either.
    Thread hook =
        new Thread(
            () -> {
              Launcher l = created.get();
              if (l != null) {
                l.close();
              }
            },
            "helix-launcher-stop");
    try {
      Runtime.getRuntime().addShutdownHook(hook);
    } catch (IllegalStateException e) {
      throw new CommandFailedException(
          "stopped (a signal arrived) before anything was started", ExitCodes.ERROR);
    }
    try {
      launcher = Launcher.start(config, cli.env(), Clock.systemUTC(), true, created::set);
    } catch (Launcher.StartFailure e) {
      // A port another program holds, a launcher already running on this HELIX_HOME: the
      // environment, status 2 (README.md, Commands).
      throw new CommandFailedException(e.getMessage(), ExitCodes.USAGE);
    }
    printUrls(cli.out(), launcher.dashboardUrl(), launcher.openaiBaseUrl());
    launcher
        .serverStartProblem()
        .ifPresent(p -> cli.err().println("helix: the server did not start cleanly: " + p));
    cli.err().println("helix: running in the foreground; Ctrl-C stops it");
    cli.err().flush();
    launcher.awaitShutdown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down: the hook is running, nothing to remove.
    }
    return ExitCodes.OK;
  }

  static void printUrls(PrintWriter out, String dashboard, String openaiBase) {
    out.println("dashboard:        " + dashboard);
    out.println("OpenAI base URL:  " + openaiBase);
    out.flush();
  }
}
