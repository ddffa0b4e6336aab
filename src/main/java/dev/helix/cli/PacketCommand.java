package dev.helix.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helix.config.HelixConfig;
import dev.helix.context.PacketAnswer;
import dev.helix.context.PacketRequest;
import dev.helix.context.TaskType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code helix packet TEXT --task T}: evidence sorted by freshness, judged by the task's freshness
 * bar.
 */
@Command(
    name = "packet",
    mixinStandardHelpOptions = true,
    description =
        "Evidence for a task, freshest first: verified, stale risk, and what to re-ingest.")
final class PacketCommand implements Callable<Integer> {
  private final Cli cli;
  private final ObjectMapper mapper;

  @Mixin ConfigOption config = new ConfigOption();

  @Parameters(arity = "1..*", paramLabel = "TEXT", description = "What the task is about.")
  List<String> words = new ArrayList<>();

  @Option(
      names = "--task",
      paramLabel = "TASK",
      defaultValue = "explain",
      description =
          "explain, review, edit, debug or ops (stricter freshness from left to right); default: ${DEFAULT-VALUE}.")
  String task = "explain";

  @Option(
      names = "--max-chunks",
      paramLabel = "N",
      description = "At most N pieces of evidence (default: [budget] max_chunks).")
  @Nullable Integer maxChunks;

  @Option(
      names = "--root",
      paramLabel = "NAME",
      description = "Look only in this root (repeatable; helix roots lists them).")
  List<String> roots = new ArrayList<>();

  @Option(names = "--json", description = "Print exactly the /context/packet JSON answer.")
  boolean json;

  PacketCommand(Cli cli, ObjectMapper mapper) {
    this.cli = cli;
    this.mapper = mapper;
  }

  @Override
  public Integer call() throws Exception {
    HelixConfig effective = cli.load(config.path).config();
    TaskType type;
    try {
      type = TaskType.parse(task);
    } catch (IllegalArgumentException e) {
      throw new CommandFailedException("--task: " + e.getMessage(), ExitCodes.USAGE);
    }
    String query = String.join(" ", words).strip();
    if (query.isEmpty()) {
      throw new CommandFailedException(
          "the packet query is empty; say what the task is about", ExitCodes.USAGE);
    }
    int chunks = maxChunks != null ? maxChunks : effective.budget().maxChunks();
    if (chunks <= 0) {
      throw new CommandFailedException(
          "--max-chunks must be positive, but was " + chunks, ExitCodes.USAGE);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("query", query);
    body.put("task_type", type.word());
    body.put("max_chunks", chunks);
    PacketAnswer answer =
        QueryCommand.ask(
            effective,
            mapper,
            "/context/packet",
            body,
            roots,
            PacketAnswer.class,
            service -> service.packet(new PacketRequest(query, type, chunks, roots)));
    if (json) {
      Render.json(cli.out(), mapper, answer);
    } else {
      Render.packet(cli.out(), answer);
    }
    return ExitCodes.OK;
  }
}
