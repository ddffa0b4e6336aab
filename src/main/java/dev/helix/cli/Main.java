package dev.helix.cli;

import dev.helix.config.ConfigException;
import dev.helix.config.ConfigLoader;
import dev.helix.text.Json;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

/** The entry point of {@code helix}: builds the command tree and maps outcomes to exit codes. */
public final class Main {
  private final Cli cli;

  Main(Cli cli) {
    this.cli = cli;
  }

  /**
   * Lucene logs through java.util.logging, whose console handler prints INFO as two lines of its
   * own on stderr ("Java vector incubator API enabled; ..."): only Lucene's warnings are worth the
   * user's screen. Held here because java.util.logging keeps loggers weakly, and a collected logger
   * forgets its level.
   */
  private static java.util.logging.@org.jspecify.annotations.Nullable Logger luceneLog;

  public static void main(String[] args) {
    if (args.length > 0 && !isVersion(args) && !args[0].equals("--help") && !args[0].equals("-h")) {
      // Not for --version and --help, which open no store and should not pay for the logging setup.
      luceneLog = java.util.logging.Logger.getLogger("org.apache.lucene");
      luceneLog.setLevel(java.util.logging.Level.WARNING);
    }
    PrintStream stdout = System.out;
    PrintWriter out = new PrintWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8), true);
    PrintWriter err =
        new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
    Map<String, String> env = System.getenv();
    int code = new Main(new Cli(ConfigLoader.ofSystem(), out, err, env)).run(args);
    out.flush();
    err.flush();
    System.exit(code);
  }

  /** Runs one command line and returns its exit status. */
  int run(String... args) {
    return commandLine(args).execute(args);
  }

  /** One subcommand: its class, whose {@code @Command} describes it, and how to make it. */
  private record Subcommand(Class<?> type, Supplier<Object> make) {}

  /**
   * Every subcommand, in the order {@code --help} lists them. Only the one a command line names is
   * made, so the commands that print JSON each get the one mapper this run makes ({@link Json}).
   */
  private Map<String, Subcommand> subcommands() {
    Map<String, Subcommand> all = new LinkedHashMap<>();
    all.put("up", new Subcommand(UpCommand.class, () -> new UpCommand(cli)));
    all.put("down", new Subcommand(DownCommand.class, () -> new DownCommand(cli)));
    all.put("serve", new Subcommand(ServeCommand.class, () -> new ServeCommand(cli)));
    all.put("launcher", new Subcommand(LauncherCommand.class, () -> new LauncherCommand(cli)));
    all.put(
        "ingest", new Subcommand(IngestCommand.class, () -> new IngestCommand(cli, Json.mapper())));
    all.put(
        "roots", new Subcommand(RootsCommand.class, () -> new RootsCommand(cli, Json.mapper())));
    all.put(
        "query", new Subcommand(QueryCommand.class, () -> new QueryCommand(cli, Json.mapper())));
    all.put(
        "packet", new Subcommand(PacketCommand.class, () -> new PacketCommand(cli, Json.mapper())));
    all.put(
        "compress",
        new Subcommand(CompressCommand.class, () -> new CompressCommand(cli, Json.mapper())));
    all.put(
        "config", new Subcommand(ConfigCommand.class, () -> new ConfigCommand(cli, Json.mapper())));
    all.put("status", new Subcommand(StatusCommand.class, () -> new StatusCommand(cli)));
    all.put("mcp", new Subcommand(McpCommand.class, () -> new McpCommand(cli)));
    all.put(
        "install-service",
        new Subcommand(InstallServiceCommand.class, () -> new InstallServiceCommand(cli)));
    all.put("__train", new Subcommand(TrainCommand.class, () -> new TrainCommand(cli)));
    return all;
  }

  /**
   * The command tree for {@code args}. picocli reflects over every registered command up front,
   * which is most of a short command's start-up, so when the first argument names a subcommand only
   * that one is registered; anything else (help, a typo) gets every command by its name and
   * description alone, which is all the command list shows.
   */
  CommandLine commandLine(String... args) {
    CommandLine commandLine = new CommandLine(new Root());
    Map<String, Subcommand> all = subcommands();
    Subcommand chosen = args.length > 0 ? all.get(args[0]) : null;
    if (chosen != null) {
      commandLine.addSubcommand(args[0], chosen.make().get());
    } else if (args.length == 0 || !isVersion(args)) {
      all.forEach(
          (name, command) ->
              commandLine.addSubcommand(name, new CommandLine(summary(name, command.type()))));
    }
    commandLine.setOut(cli.out());
    commandLine.setErr(cli.err());
    commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> handle(e));
    return commandLine;
  }

  /**
   * A command as the command list shows it: name and description from its {@code @Command}, without
   * picocli's reflection over its options and methods (which made {@code --help} load most of what
   * the commands use).
   */
  private static CommandSpec summary(String name, Class<?> type) {
    Command command = type.getAnnotation(Command.class);
    CommandSpec spec = CommandSpec.create().name(name);
    spec.usageMessage().description(command.description()).hidden(command.hidden());
    return spec;
  }

  private static boolean isVersion(String... args) {
    return args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"));
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
      description =
          "Local context server for coding agents: a cited, budgeted context window with an honest know/miss verdict.",
      subcommandsRepeatable = false)
  static final class Root implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      spec.commandLine().usage(spec.commandLine().getOut());
    }
  }
}
