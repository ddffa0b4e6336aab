package dev.helix.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helix.config.HelixConfig;
import dev.helix.context.ContextAnswer;
import dev.helix.context.ContextRequest;
import dev.helix.context.ContextService;
import dev.helix.context.ContextServices;
import dev.helix.context.UnknownRootException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code helix query TEXT}: the {@code /context} answer, from the server or the store read-only.
 */
@Command(
    name = "query",
    mixinStandardHelpOptions = true,
    description = "Ask the store: a cited, budgeted context window with a know/miss verdict.")
final class QueryCommand implements Callable<Integer> {
  static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final Cli cli;
  private final ObjectMapper mapper;

  @Mixin ConfigOption config = new ConfigOption();

  @Parameters(
      arity = "1..*",
      paramLabel = "TEXT",
      description = "The question (words are joined with spaces).")
  List<String> words = new ArrayList<>();

  @Option(names = "--json", description = "Print exactly the /context JSON answer.")
  boolean json;

  @Option(
      names = "--max-tokens",
      paramLabel = "N",
      description = "Window budget in tokens (default: [budget] context_tokens).")
  @Nullable Integer maxTokens;

  @Option(
      names = "--max-chunks",
      paramLabel = "N",
      description = "At most N chunks (default: [budget] max_chunks).")
  @Nullable Integer maxChunks;

  @Option(
      names = "--root",
      paramLabel = "NAME",
      description = "Look only in this root (repeatable; helix roots lists them).")
  List<String> roots = new ArrayList<>();

  QueryCommand(Cli cli, ObjectMapper mapper) {
    this.cli = cli;
    this.mapper = mapper;
  }

  @Override
  public Integer call() throws Exception {
    HelixConfig effective = cli.load(config.path).config();
    String query = String.join(" ", words).strip();
    if (query.isEmpty()) {
      throw new CommandFailedException(
          "the query is empty; say what you are looking for, e.g. helix query \"how is the cache evicted\"",
          ExitCodes.USAGE);
    }
    int tokens = maxTokens != null ? maxTokens : effective.budget().contextTokens();
    int chunks = maxChunks != null ? maxChunks : effective.budget().maxChunks();
    if (tokens <= 0 || chunks <= 0) {
      throw new CommandFailedException(
          "--max-tokens and --max-chunks must be positive, but were " + tokens + " and " + chunks,
          ExitCodes.USAGE);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("query", query);
    body.put("max_tokens", tokens);
    body.put("max_chunks", chunks);
    ContextAnswer answer =
        ask(
            effective,
            mapper,
            "/context",
            body,
            roots,
            ContextAnswer.class,
            service -> service.context(new ContextRequest(query, tokens, chunks, roots)));
    if (json) {
      Render.json(cli.out(), mapper, answer);
    } else {
      Render.context(cli.out(), answer);
    }
    return ExitCodes.OK;
  }

  /** What a local question does: one call on the store's service. */
  interface LocalAsk<A> {
    A ask(ContextService service) throws IOException;
  }

  /**
   * Asks the running server at {@code route} when one answers (it owns the store while it runs),
   * else the store itself, read-only; an unknown root is a usage error either way.
   */
  static <A> A ask(
      HelixConfig effective,
      ObjectMapper mapper,
      String route,
      Map<String, Object> body,
      List<String> roots,
      Class<A> type,
      LocalAsk<A> local)
      throws IOException, InterruptedException, CommandFailedException {
    Optional<ServerClient> server = ServerClient.find(effective, mapper);
    if (server.isPresent()) {
      if (!roots.isEmpty()) {
        body.put("roots", roots);
      }
      return mapper.convertValue(server.get().post(route, body, TIMEOUT), type);
    }
    try (ContextService service = ContextServices.openReadOnly(effective)) {
      return local.ask(service);
    } catch (UnknownRootException e) {
      throw new CommandFailedException("--root: " + e.getMessage(), ExitCodes.USAGE);
    }
  }
}
