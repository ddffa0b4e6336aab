package dev.helix.cli;

import dev.helix.config.ConfigException;
import dev.helix.config.ConfigLoader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The entry point of {@code helix}: builds the command tree and maps outcomes to exit codes. */
public final class Main {
  private final Cli cli;

  Main(Cli cli) {
    this.cli = cli;
  }

  public static void main(String[] args) {
    PrintStream stdout = System.out;
    PrintWriter out = new PrintWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8), true);
    PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
    Map<String, String> env = System.getenv();
    int code = new Main(new Cli(ConfigLoader.ofSystem(), out, err, env)).run(args);
    out.flush();
    err.flush();
    System.exit(code);
  }

  /** Runs one command line and returns its exit status. */
  int run(String... args) {
    CommandLine commandLine = commandLine();
    return commandLine.execute(args);
  }

  CommandLine commandLine() {
    CommandLine commandLine = new CommandLine(new Root());
    commandLine.addSubcommand("config", new ConfigCommand(cli));
    commandLine.addSubcommand("__train", new TrainCommand(cli));
    commandLine.addSubcommand("serve", new ServeCommand(cli));
    commandLine.addSubcommand("mcp", new McpCommand(cli));
    commandLine.addSubcommand("status", new StatusCommand(cli));
    commandLine.addSubcommand("compress", new CompressCommand(cli));
    commandLine.addSubcommand("ingest", new IngestCommand(cli));
    commandLine.addSubcommand("query", new QueryCommand(cli));
    commandLine.addSubcommand("packet", new PacketCommand(cli));
    commandLine.addSubcommand("up", new UpCommand(cli));
    commandLine.addSubcommand("down", new DownCommand(cli));
    commandLine.addSubcommand("launcher", new LauncherCommand(cli));
    commandLine.addSubcommand("install-service", new InstallServiceCommand(cli));
    commandLine.setOut(cli.out());
    commandLine.setErr(cli.err());
    commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> handle(e));
    return commandLine;
  }

  private int handle(Exception e) {
    PrintWriter err = cli.err();
    switch (e) {
      case ConfigException c -> {
        err.println("helix: the configuration has errors:");
        c.problems().forEach(p -> err.println("  " + p));
        err.flush();
        return ExitCodes.USAGE;
      }
      case CommandFailedException f -> {
        err.println("helix: " + f.getMessage());
        err.flush();
        return f.exitCode();
      }
      default -> {
        // Unexpected: say what failed and keep the whole cause chain, never swallow it.
        err.println("helix: " + e);
        e.printStackTrace(err);
        err.flush();
        return ExitCodes.ERROR;
      }
    }
  }

  @Command(
      name = "helix",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description = "Local context server for coding agents: a cited, budgeted context window with an honest know/miss verdict.",
      subcommandsRepeatable = false)
  static final class Root implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      spec.commandLine().usage(spec.commandLine().getOut());
    }
  }
}
