package dev.helix.cli;

import dev.helix.config.HelixConfig;
import dev.helix.launcher.Launcher;
import dev.helix.launcher.LauncherClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code helix down}: stops a running launcher and what it owns (never an adopted server or
 * Headroom).
 */
@Command(
    name = "down",
    mixinStandardHelpOptions = true,
    description = "Stop the running launcher and the server (and Headroom) it started.")
final class DownCommand implements Callable<Integer> {
  /** Stopping the server takes at most three 5 s steps (shutdown, TERM, KILL), Headroom as many. */
  private static final Duration WAIT = Duration.ofSeconds(40);

  private final Cli cli;

  @Mixin ConfigOption config = new ConfigOption();

  DownCommand(Cli cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() throws Exception {
    HelixConfig effective = cli.load(config.path).config();
    boolean stopped;
    try {
      stopped = LauncherClient.requestShutdown(effective, WAIT);
    } catch (Launcher.StartFailure e) {
      throw new CommandFailedException(e.getMessage(), ExitCodes.ERROR);
    }
    List<String> orphans = LauncherClient.cleanUpOrphans(effective);
    orphans.forEach(line -> cli.err().println("helix: " + line));
    if (stopped) {
      cli.out().println("helix: stopped");
    } else if (!orphans.isEmpty()) {
      cli.out()
          .println(
              "helix: no launcher was running; stopped what a killed launcher had left behind");
    } else if (LauncherClient.findRunning(effective).isPresent()) {
      throw new CommandFailedException(
          "the launcher did not stop within "
              + WAIT.toSeconds()
              + " s; see "
              + effective.launcherDir().resolve("launcher.log"),
          ExitCodes.ERROR);
    } else {
      cli.out()
          .println(
              "helix: not running (no launcher answers on "
                  + LauncherClient.addresses(effective).launcherUrl()
                  + ", and none is recorded in "
                  + effective.launcherDir().resolve("state.json")
                  + ")");
    }
    cli.out().flush();
    return ExitCodes.OK;
  }
}
