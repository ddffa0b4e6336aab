package dev.helix.cli;

import dev.helix.config.HelixConfig;
import dev.helix.context.ContextService;
import dev.helix.context.ContextServices;
import dev.helix.context.IngestReport;
import dev.helix.launcher.Launcher;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code helix up [PATH] [--detach]}: ingests PATH, then runs the launcher and the server under it,
 * in the foreground or detached.
 */
@Command(name = "up", mixinStandardHelpOptions = true,
    description = "Ingest PATH (optional), start the launcher and the server, and print the dashboard and OpenAI base URLs.")
final class UpCommand implements Callable<Integer> {
  private final Cli cli;

  @Mixin ConfigOption config = new ConfigOption();

  @Parameters(arity = "0..1", paramLabel = "PATH", description = "A file or folder to ingest before starting.")
  @Nullable Path path;

  @Option(names = "--detach", description = "Leave helix running in the background (output to $HELIX_HOME/launcher/launcher.log); `helix down` stops it.")
  boolean detach;

  UpCommand(Cli cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() throws Exception {
    HelixConfig effective = cli.load(config.path).config();
    LauncherCommand.checkBind(effective);
    Optional<Launcher.Running> running = Launcher.findRunning(effective);
    if (running.isPresent()) {
      cli.err().println("helix: already running (launcher pid " + running.get().pid() + "); `helix down` stops it");
      cli.err().flush();
      LauncherCommand.printUrls(cli.out(), running.get().dashboardUrl(), running.get().openaiBaseUrl());
      return ExitCodes.OK;
    }
    if (path != null) {
      ingest(effective, path);
    }
    if (!detach) {
      return LauncherCommand.runForeground(cli, effective);
    }
    return detach(effective);
  }

  private void ingest(HelixConfig config, Path target) {
    if (!Files.exists(target)) {
      throw new CommandFailedException(target + " does not exist; give a file or folder to ingest", ExitCodes.USAGE);
    }
    cli.err().println("helix: ingesting " + target + " ...");
    cli.err().flush();
    try (ContextService context = ContextServices.open(config)) {
      IngestReport report = context.ingest(List.of(target), (done, total, bytes) -> {
        cli.err().printf("\rhelix: ingest %d/%d files, %.1f MiB", done, total, bytes / 1_048_576.0);
        cli.err().flush();
      });
      cli.err().printf("%nhelix: ingested %d files (%d unchanged), %d chunks in %.1f s%n",
          report.files(), report.unchanged(), report.chunks(), report.seconds());
      cli.err().flush();
    } catch (IOException | RuntimeException e) {
      throw new CommandFailedException("could not ingest " + target + " into the store at " + config.store().path()
          + ": " + e.getMessage() + "; run `helix up` without PATH to start anyway, or fix the problem and retry",
          ExitCodes.ERROR);
    }
  }

  private int detach(HelixConfig config) throws IOException, InterruptedException {
    Path log = Launcher.detachedLog(config);
    List<String> command = new ArrayList<>();
    // setsid puts the launcher in its own session, so closing this terminal does not hang it up.
    if (new File("/usr/bin/setsid").canExecute()) {
      command.add("/usr/bin/setsid");
    }
    command.addAll(Launcher.helixCommand(config, "launcher"));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().clear();
    builder.environment().putAll(cli.env());
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Process process = builder.start();
    long deadline = System.nanoTime() + config.launcher().startWait().plusSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      Optional<Launcher.Running> running = Launcher.findRunning(config);
      if (running.isPresent() && running.get().serverRunning()) {
        cli.err().println("helix: running in the background (launcher pid " + running.get().pid() + ", log " + log
            + "); `helix down` stops it");
        cli.err().flush();
        LauncherCommand.printUrls(cli.out(), running.get().dashboardUrl(), running.get().openaiBaseUrl());
        return ExitCodes.OK;
      }
      if (!process.isAlive()) {
        throw new CommandFailedException("the launcher exited with status " + process.exitValue() + " while starting; see "
            + log, ExitCodes.ERROR);
      }
      Thread.sleep(100);
    }
    Optional<Launcher.Running> running = Launcher.findRunning(config);
    if (running.isPresent()) {
      cli.err().println("helix: the launcher runs (pid " + running.get().pid() + ") but the server is not ready yet; "
          + "watch the dashboard or " + log);
      LauncherCommand.printUrls(cli.out(), running.get().dashboardUrl(), running.get().openaiBaseUrl());
      return ExitCodes.OK;
    }
    throw new CommandFailedException("the launcher did not answer within "
        + config.launcher().startWait().plus(Duration.ofSeconds(10)).toSeconds() + " s; see " + log, ExitCodes.ERROR);
  }
}
