package dev.helix.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helix.config.HelixConfig;
import dev.helix.context.IngestReport;
import dev.helix.launcher.LauncherClient;
import dev.helix.text.Json;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
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
@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    description =
        "Ingest PATH (optional), start the launcher and the server, and print the dashboard and OpenAI base URLs.")
final class UpCommand implements Callable<Integer> {
  private final Cli cli;

  @Mixin ConfigOption config = new ConfigOption();

  @Parameters(
      arity = "0..1",
      paramLabel = "PATH",
      description = "A file or folder to ingest before starting.")
  @Nullable Path path;

  @Option(
      names = "--detach",
      description =
          "Leave helix running in the background (output to $HELIX_HOME/launcher/launcher.log); `helix down` stops it.")
  boolean detach;

  UpCommand(Cli cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() throws Exception {
    HelixConfig effective = cli.load(config.path).config();
    LauncherCommand.checkConfig(effective);
    Optional<LauncherClient.Running> running = LauncherClient.findRunning(effective);
    if (running.isPresent()) {
      cli.err()
          .println(
              "helix: already running (launcher pid "
                  + running.get().pid()
                  + "); `helix down` stops it");
      cli.err().flush();
      if (path != null) {
        ingestThroughServer(effective, running.get(), path);
      }
      LauncherCommand.printUrls(
          cli.out(), running.get().dashboardUrl(), running.get().openaiBaseUrl());
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

  /**
   * Runs {@code helix ingest --no-vector-wait PATH} as a child JVM with its progress and report on
   * stderr (stdout carries the URLs only): the launcher JVM runs without the optimizing compiler,
   * which an ingest of a large tree wants. The server computes the vectors once it runs.
   */
  private void ingest(HelixConfig config, Path target) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(LauncherClient.helixCommand(config, "ingest"));
    command.addAll(List.of("--no-vector-wait", target.toAbsolutePath().toString()));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().clear();
    builder.environment().putAll(cli.env());
    cli.err().flush();
    builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Process process = builder.start();
    // Its progress is copied to stderr without the JVM's incubator notice, which is not helix's.
    Thread progress =
        Thread.ofVirtual()
            .name("helix-ingest-stderr")
            .start(() -> copy(process.getErrorStream(), ""));
    // Its report is copied line by line to stderr: stdout carries the URLs only.
    copy(process.getInputStream(), "helix: ");
    progress.join();
    int status = process.waitFor();
    if (status != ExitCodes.OK) {
      // Status 2 is a bad PATH (nothing there, and nothing the store knows from there).
      throw new CommandFailedException(
          "could not ingest "
              + target
              + " into the store at "
              + config.store().path()
              + " (helix ingest exited with status "
              + status
              + ", see above); fix that and retry, or run `helix up`"
              + " without PATH to start with the store as it is",
          status == ExitCodes.USAGE ? ExitCodes.USAGE : ExitCodes.ERROR);
    }
  }

  /**
   * Copies a child's output to stderr line by line, each after {@code prefix}, but the JVM's
   * incubator notice.
   */
  private void copy(java.io.InputStream from, String prefix) {
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(from, StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (!LauncherClient.isIncubatorNotice(line)) {
          synchronized (cli.err()) {
            cli.err().println(prefix + line);
            cli.err().flush();
          }
        }
      }
    } catch (IOException e) {
      cli.err().println("helix: could not read the ingest's output: " + e.getMessage());
    }
  }

  /**
   * {@code helix up PATH} while helix runs: the running server owns the store, so it ingests PATH;
   * the report goes to stderr, as a fresh {@code up}'s does.
   */
  private void ingestThroughServer(HelixConfig config, LauncherClient.Running running, Path target)
      throws IOException, InterruptedException {
    ObjectMapper json = Json.mapper();
    ServerClient server =
        ServerClient.find(config, json)
            .orElseThrow(
                () ->
                    new CommandFailedException(
                        "helix runs (launcher pid "
                            + running.pid()
                            + ") but its server does not answer, so "
                            + target
                            + " was not ingested; press Start on "
                            + running.dashboardUrl()
                            + ", then run `helix ingest "
                            + target
                            + "`",
                        ExitCodes.ERROR));
    cli.err()
        .println(
            "helix: ingesting "
                + target
                + " through its server at "
                + server.base()
                + ", which owns the store");
    cli.err().flush();
    IngestReport report =
        IngestCommand.viaServer(
            server, json, List.of(target.toAbsolutePath().normalize().toString()), List.of());
    java.io.StringWriter text = new java.io.StringWriter();
    Render.ingest(new java.io.PrintWriter(text), report);
    text.toString().lines().forEach(line -> cli.err().println("helix: " + line));
    cli.err().flush();
  }

  private int detach(HelixConfig config) throws IOException, InterruptedException {
    Path log = LauncherClient.detachedLog(config);
    List<String> command = new ArrayList<>();
    // setsid puts the launcher in its own session, so closing this terminal does not hang it up.
    if (new File("/usr/bin/setsid").canExecute()) {
      command.add("/usr/bin/setsid");
    }
    command.addAll(LauncherClient.helixCommand(config, "launcher"));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().clear();
    builder.environment().putAll(cli.env());
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    long logStart = Files.exists(log) ? Files.size(log) : 0;
    Process process = builder.start();
    long deadline = System.nanoTime() + config.launcher().startWait().plusSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      Optional<LauncherClient.Running> running = LauncherClient.findRunning(config);
      if (running.isPresent() && running.get().serverRunning()) {
        cli.err()
            .println(
                "helix: running in the background (launcher pid "
                    + running.get().pid()
                    + ", log "
                    + log
                    + "); `helix down` stops it");
        cli.err().flush();
        LauncherCommand.printUrls(
            cli.out(), running.get().dashboardUrl(), running.get().openaiBaseUrl());
        return ExitCodes.OK;
      }
      if (running.isPresent() && running.get().serverProblem() != null) {
        // The launcher stays up (its dashboard can start the server once the cause is fixed), but
        // this `up` did not give the user a server, so it says why at once and fails.
        LauncherCommand.printUrls(
            cli.out(), running.get().dashboardUrl(), running.get().openaiBaseUrl());
        throw new CommandFailedException(
            "the launcher runs (pid "
                + running.get().pid()
                + ", log "
                + log
                + ") but the server did not start: "
                + running.get().serverProblem()
                + "; fix that, then press Start on the dashboard, or run `helix down` and `helix up` again",
            ExitCodes.ERROR);
      }
      if (!process.isAlive()) {
        throw refused(process.exitValue(), log, logStart);
      }
      Thread.sleep(100);
    }
    Optional<LauncherClient.Running> running = LauncherClient.findRunning(config);
    if (running.isPresent()) {
      cli.err()
          .println(
              "helix: the launcher runs (pid "
                  + running.get().pid()
                  + ") but the server is not ready yet; "
                  + "watch the dashboard or "
                  + log);
      LauncherCommand.printUrls(
          cli.out(), running.get().dashboardUrl(), running.get().openaiBaseUrl());
      return ExitCodes.OK;
    }
    throw new CommandFailedException(
        "the launcher did not answer within "
            + config.launcher().startWait().plus(Duration.ofSeconds(10)).toSeconds()
            + " s; see "
            + log,
        ExitCodes.ERROR);
  }

  /**
   * Why a detached launcher exited while starting, in its own words: the {@code helix:} lines it
   * wrote to its log (what a foreground run prints), with its exit status (2 for a held port).
   */
  private static CommandFailedException refused(int status, Path log, long logStart)
      throws IOException {
    List<String> said = new ArrayList<>();
    try (var in = Files.newInputStream(log)) {
      in.skipNBytes(Math.min(logStart, Files.size(log)));
      new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .lines()
          .filter(l -> l.startsWith("helix: "))
          .map(l -> l.substring("helix: ".length()))
          .forEach(said::add);
    }
    String why =
        said.isEmpty()
            ? "the launcher exited with status " + status + " while starting; see " + log
            : String.join("\n", said) + " (launcher log: " + log + ")";
    return new CommandFailedException(
        why, status == ExitCodes.USAGE ? ExitCodes.USAGE : ExitCodes.ERROR);
  }
}
