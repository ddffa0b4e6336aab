package dev.helix.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helix.config.HelixConfig;
import dev.helix.context.ContextService;
import dev.helix.context.ContextServices;
import dev.helix.context.RemovedRoot;
import dev.helix.context.RootStatus;
import dev.helix.context.UnknownRootException;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code helix roots [--json]} and {@code helix roots remove NAME}: the folders helix keeps in sync
 * (docs/workspaces.md), through the running server when there is one, else from the store itself.
 */
@Command(
    name = "roots",
    mixinStandardHelpOptions = true,
    description =
        "List the roots (ingested folders and files) with their state; 'helix roots remove NAME' removes one.",
    subcommands = RootsCommand.Remove.class)
final class RootsCommand implements Callable<Integer> {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final Cli cli;
  private final ObjectMapper mapper;

  @Mixin ConfigOption config = new ConfigOption();

  @Option(names = "--json", description = "Print exactly the GET /roots JSON: {\"roots\": [...]}.")
  boolean json;

  RootsCommand(Cli cli, ObjectMapper mapper) {
    this.cli = cli;
    this.mapper = mapper;
  }

  /** {@code GET /roots}'s answer: {@code {"roots": [...]}}. */
  record Listing(List<RootStatus> roots) {
    Listing {
      roots = List.copyOf(roots);
    }
  }

  @Override
  public Integer call() throws Exception {
    HelixConfig effective = cli.load(config.path).config();
    Optional<ServerClient> server = ServerClient.find(effective, mapper);
    Listing answer;
    if (server.isPresent()) {
      answer = mapper.convertValue(server.get().get("/roots", TIMEOUT), Listing.class);
    } else {
      try (ContextService service = ContextServices.openReadOnly(effective)) {
        answer = new Listing(service.roots());
      }
    }
    if (json) {
      Render.json(cli.out(), mapper, answer);
    } else {
      Render.roots(cli.out(), answer.roots());
    }
    return ExitCodes.OK;
  }

  /** {@code helix roots remove NAME}: forgets a root and every source no other root holds. */
  @Command(
      name = "remove",
      mixinStandardHelpOptions = true,
      description =
          "Remove a root and its sources from the store (the folder itself is untouched).")
  static final class Remove implements Callable<Integer> {
    @picocli.CommandLine.ParentCommand RootsCommand parent;

    @Mixin ConfigOption config = new ConfigOption();

    @Parameters(
        index = "0",
        paramLabel = "NAME",
        description = "The root's name, as helix roots lists it.")
    String name = "";

    @Option(
        names = "--json",
        description = "Print the DELETE /roots/{name} JSON: {\"removed\": {sources, chunks}}.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      Cli cli = parent.cli;
      HelixConfig effective =
          cli.load(config.path != null ? config.path : parent.config.path).config();
      Optional<ServerClient> server = ServerClient.find(effective, parent.mapper);
      RemovedRoot.Answer answer;
      if (server.isPresent()) {
        answer =
            parent.mapper.convertValue(
                server
                    .get()
                    .delete(
                        "/roots/"
                            + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20"),
                        TIMEOUT),
                RemovedRoot.Answer.class);
      } else {
        answer = local(effective);
      }
      if (json) {
        Render.json(cli.out(), parent.mapper, answer);
      } else {
        RemovedRoot removed = answer.removed();
        cli.out()
            .printf(
                "removed root %s: %s sources, %s chunks%n",
                name, removed.sources(), removed.chunks());
        cli.out().flush();
      }
      return ExitCodes.OK;
    }

    private RemovedRoot.Answer local(HelixConfig effective) throws IOException {
      ContextService service;
      try {
        service = ContextServices.open(effective);
      } catch (IOException e) {
        throw new CommandFailedException(
            "cannot open the store to remove a root: " + e.getMessage(), ExitCodes.ERROR);
      }
      try (service) {
        return service.removeRoot(name).answer();
      } catch (UnknownRootException e) {
        throw new CommandFailedException(e.getMessage(), ExitCodes.USAGE);
      }
    }
  }
}
