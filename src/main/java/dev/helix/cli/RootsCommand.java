package dev.helix.cli;

import dev.helix.config.HelixConfig;
import dev.helix.context.ContextService;
import dev.helix.context.ContextServices;
import dev.helix.context.RootStatus;
import dev.helix.context.UnknownRootException;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
 * {@code helix roots [--json]} and {@code helix roots remove NAME}: the folders helix keeps in
 * sync (docs/workspaces.md), through the running server when there is one, else from the store itself.
 */
@Command(name = "roots", mixinStandardHelpOptions = true,
    description = "List the roots (ingested folders and files) with their state; 'helix roots remove NAME' removes one.",
    subcommands = RootsCommand.Remove.class)
final class RootsCommand implements Callable<Integer> {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final Cli cli;

  @Mixin ConfigOption config = new ConfigOption();

  @Option(names = "--json", description = "Print exactly the GET /roots JSON: {\"roots\": [...]}.")
  boolean json;

  RootsCommand(Cli cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() throws Exception {
    HelixConfig effective = cli.load(config.path).config();
    Optional<ServerClient> server = ServerClient.find(effective);
    Map<String, Object> answer;
    if (server.isPresent()) {
      answer = server.get().get("/roots", TIMEOUT);
    } else {
      try (ContextService service = ContextServices.openReadOnly(effective)) {
        answer = Map.of("roots", service.roots().stream().map(RootStatus::toJson).toList());
      }
    }
    if (json) {
      Render.json(cli.out(), answer);
    } else {
      Render.roots(cli.out(), (List<?>) answer.get("roots"));
    }
    return ExitCodes.OK;
  }

  /** {@code helix roots remove NAME}: forgets a root and every source no other root holds. */
  @Command(name = "remove", mixinStandardHelpOptions = true,
      description = "Remove a root and its sources from the store (the folder itself is untouched).")
  static final class Remove implements Callable<Integer> {
    @picocli.CommandLine.ParentCommand RootsCommand parent;

    @Mixin ConfigOption config = new ConfigOption();

    @Parameters(index = "0", paramLabel = "NAME", description = "The root's name, as helix roots lists it.")
    String name = "";

    @Option(names = "--json", description = "Print the DELETE /roots/{name} JSON: {\"removed\": {sources, chunks}}.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      Cli cli = parent.cli;
      HelixConfig effective = cli.load(config.path != null ? config.path : parent.config.path).config();
      Optional<ServerClient> server = ServerClient.find(effective);
      Map<String, Object> answer;
      if (server.isPresent()) {
        answer = server.get().delete("/roots/" + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20"),
            TIMEOUT);
      } else {
        answer = local(effective);
      }
      if (json) {
        Render.json(cli.out(), answer);
      } else {
        Map<?, ?> removed = (Map<?, ?>) answer.get("removed");
        cli.out().printf("removed root %s: %s sources, %s chunks%n", name, removed.get("sources"), removed.get("chunks"));
        cli.out().flush();
      }
      return ExitCodes.OK;
    }

    private Map<String, Object> local(HelixConfig effective) throws IOException {
      ContextService service;
      try {
        service = ContextServices.open(effective);
      } catch (IOException e) {
        throw new CommandFailedException("cannot open the store to remove a root: " + e.getMessage(), ExitCodes.ERROR);
      }
      try (service) {
        return new LinkedHashMap<>(service.removeRoot(name).toJson());
      } catch (UnknownRootException e) {
        throw new CommandFailedException(e.getMessage(), ExitCodes.USAGE);
      }
    }
  }
}
