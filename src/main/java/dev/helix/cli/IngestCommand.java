package dev.helix.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helix.config.HelixConfig;
import dev.helix.context.ContextService;
import dev.helix.context.ContextServices;
import dev.helix.context.IngestProgress;
import dev.helix.context.IngestReport;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code helix ingest [PATH...]}: indexes files and folders, each recorded as a root; with no path,
 * re-syncs every root. A running server owns the store, so the paths go to it; otherwise the CLI
 * opens the store itself under its write lock.
 */
@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    description = {
      "Index files and folders into the store (incremental; respects .gitignore and .helixignore).",
      "Each folder becomes a root that a running server keeps in sync; with no PATH, every root is re-synced."
    })
final class IngestCommand implements Callable<Integer> {
  /** A server ingests a large tree for minutes; the CLI waits that long for its answer. */
  private static final Duration SERVER_TIMEOUT = Duration.ofHours(2);

  private final Cli cli;
  private final ObjectMapper mapper;

  @Mixin ConfigOption config = new ConfigOption();

  @Parameters(
      arity = "0..*",
      paramLabel = "PATH",
      description = "Files or folders to index (none: re-sync every root).")
  List<Path> paths = new ArrayList<>();

  @Option(
      names = "--name",
      paramLabel = "NAME",
      description =
          "The root's name (default: the folder's name, made "
              + "unique with -2, -3); repeat it to name each PATH in order.")
  List<String> names = new ArrayList<>();

  @Option(
      names = "--json",
      description =
          "Print one JSON document: the ingest summary with store{chunks, sources, store_bytes}.")
  boolean json;

  @Option(
      names = "--no-vector-wait",
      description =
          "Return as soon as the files are searchable by their words; "
              + "their vectors are computed later by the helix server (helix up does this).")
  boolean noVectorWait;

  IngestCommand(Cli cli, ObjectMapper mapper) {
    this.cli = cli;
    this.mapper = mapper;
  }

  @Override
  public Integer call() throws Exception {
    HelixConfig effective = cli.load(config.path).config();
    if (!names.isEmpty() && names.size() != paths.size()) {
      throw new CommandFailedException(
          "--name was given "
              + names.size()
              + " times for "
              + paths.size()
              + " paths; give one --name per PATH, in order, or none",
          ExitCodes.USAGE);
    }
    List<String> absolute =
        paths.stream().map(p -> p.toAbsolutePath().normalize().toString()).toList();
    Optional<ServerClient> server = ServerClient.find(effective, mapper);
    IngestReport report;
    if (server.isPresent()) {
      cli.err()
          .println(
              "helix: sending the paths to the helix server at "
                  + server.get().base()
                  + ", which owns the store");
      cli.err().flush();
      report = viaServer(server.get(), mapper, absolute, names);
    } else {
      report = local(effective);
    }
    sayWhatVanished(absolute, report);
    if (json) {
      Render.json(cli.out(), mapper, report);
    } else {
      Render.ingest(cli.out(), report);
    }
    return ExitCodes.OK;
  }

  /**
   * Names the given paths that no longer exist: ingesting one removes what the store held from it
   * (a stale citation's "re-ingest" advice leads here).
   */
  private void sayWhatVanished(List<String> absolute, IngestReport report) {
    List<String> gone =
        absolute.stream().filter(p -> !java.nio.file.Files.exists(Path.of(p))).toList();
    if (!gone.isEmpty()) {
      cli.err()
          .println(
              "helix: "
                  + String.join(", ", gone)
                  + (gone.size() == 1 ? " no longer exists" : " no longer exist")
                  + ": the store forgets "
                  + (gone.size() == 1 ? "it" : "them")
                  + " ("
                  + report.removed()
                  + " files removed"
                  + (gone.size() == absolute.size() ? "" : " in all")
                  + ")");
      cli.err().flush();
    }
  }

  /**
   * Has the running server ingest {@code absolute} paths (it owns the store) and returns its
   * report.
   */
  static IngestReport viaServer(
      ServerClient server, ObjectMapper mapper, List<String> absolute, List<String> names)
      throws IOException, InterruptedException {
    Map<String, Object> body = new LinkedHashMap<>();
    if (absolute.isEmpty()) {
      body.put("sync", true);
    } else {
      body.put("paths", absolute);
      if (!names.isEmpty()) {
        body.put("names", names);
      }
    }
    return mapper.convertValue(server.post("/ingest", body, SERVER_TIMEOUT), IngestReport.class);
  }

  private IngestReport local(HelixConfig effective) throws IOException, InterruptedException {
    ContextService service;
    try {
      service = ContextServices.open(effective);
    } catch (IOException e) {
      throw new CommandFailedException(
          "cannot open the store for ingest: " + e.getMessage(), ExitCodes.ERROR);
    }
    try (service) {
      Progress progress = Progress.forStderr(cli.err(), "indexing", "files");
      IngestReport report;
      try {
        report =
            paths.isEmpty()
                ? service.sync(progress)
                : service.ingest(paths, List.copyOf(names), progress);
      } catch (NoSuchFileException e) {
        throw new CommandFailedException(
            "cannot ingest " + e.getFile() + ": " + e.getReason(), ExitCodes.USAGE);
      } catch (IllegalArgumentException e) {
        throw new CommandFailedException(e.getMessage(), ExitCodes.USAGE);
      }
      progress.finish();
      if (effective.store().embeddings() && !noVectorWait) {
        long t0 = System.nanoTime();
        Progress vectors = Progress.forStderr(cli.err(), "embedding", "chunks");
        service.awaitVectors(vectors);
        vectors.finish();
        cli.err()
            .printf(
                "helix: vectors are complete (%.1f s); set [store] embeddings = false for lexical-only ranking%n",
                (System.nanoTime() - t0) / 1e9);
        cli.err().flush();
        // The store's totals after the vectors landed (their size counts too).
        return new IngestReport(
            report.files(),
            report.unchanged(),
            report.removed(),
            report.skippedBinary(),
            report.skippedTooLarge(),
            report.chunks(),
            report.bytes(),
            report.seconds(),
            service.stats(),
            report.roots());
      }
      return report;
    }
  }

  /** Progress on stderr: a redrawn bar on a terminal, a plain line every few seconds otherwise. */
  static final class Progress implements IngestProgress {
    private final java.io.PrintWriter err;
    private final String what;
    private final String unit;
    private final boolean terminal;
    private long last;
    private long lastDone = -1;

    private Progress(java.io.PrintWriter err, String what, String unit, boolean terminal) {
      this.err = err;
      this.what = what;
      this.unit = unit;
      this.terminal = terminal;
    }

    static Progress forStderr(java.io.PrintWriter err, String what, String unit) {
      return new Progress(
          err,
          what,
          unit,
          terminal() && System.getenv("TERM") != null && !"dumb".equals(System.getenv("TERM")));
    }

    /**
     * Whether this process talks to a terminal. From JDK 22 on, {@code System.console()} exists
     * even when redirected and {@code Console.isTerminal()} tells; helix compiles for 21, so that
     * method is looked up at run time.
     */
    @SuppressWarnings("SystemConsoleNull") // null on JDK 21, which helix supports
    private static boolean terminal() {
      java.io.Console console = System.console();
      if (console == null) {
        return false;
      }
      try {
        return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
      } catch (ReflectiveOperationException e) {
        return true;
      }
    }

    @Override
    public synchronized void update(long done, long total, long bytes) {
      long now = System.nanoTime() / 1_000_000;
      if (done == lastDone || (now - last < (terminal ? 100 : 2000) && done < total)) {
        return;
      }
      last = now;
      lastDone = done;
      if (terminal) {
        int width = 30;
        int filled = total == 0 ? width : (int) (width * done / total);
        err.printf(
            "\r%s [%s%s] %d/%d %s  %.1f MB",
            what,
            "#".repeat(filled),
            " ".repeat(width - filled),
            done,
            total,
            unit,
            bytes / 1_048_576.0);
      } else {
        err.printf("helix: %s %d/%d %s, %.1f MB%n", what, done, total, unit, bytes / 1_048_576.0);
      }
      err.flush();
    }

    void finish() {
      if (terminal && lastDone >= 0) {
        err.println();
        err.flush();
      }
    }
  }
}
