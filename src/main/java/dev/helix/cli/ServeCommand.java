package dev.helix.cli;

import dev.helix.compress.Tokens;
import dev.helix.config.HelixConfig;
import dev.helix.config.HostNames;
import dev.helix.context.ContextService;
import dev.helix.context.ContextServices;
import dev.helix.server.HelixServer;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code helix serve}: runs the server in the foreground until shut down. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = "Run the helix server (chat proxy, /context, ingest) in the foreground.")
final class ServeCommand implements Callable<Integer> {
  private final Cli cli;

  @Mixin ConfigOption config = new ConfigOption();

  ServeCommand(Cli cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() throws Exception {
    HelixConfig effective = cli.load(config.path).config();
    if (!HostNames.isLoopback(effective.server().host()) && !effective.server().hasToken()) {
      throw new CommandFailedException(
          "refusing to bind "
              + effective.server().host()
              + " without a token: set [server] token or HELIX_TOKEN, or bind 127.0.0.1",
          ExitCodes.USAGE);
    }
    // The JDK server otherwise leaves Nagle's algorithm on, and a small answer written as headers
    // then
    // body waits for the client's delayed ACK (~40 ms on Linux) on a kept-alive connection.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    // The store opens in the background: GET /health answers at once (store.ready = false until
    // it is open), and store calls wait for the open.
    // One token counter for the store's windows and the server's routes: its tables load once.
    Tokens tokens = new Tokens();
    try (ContextService context = ContextServices.openInBackground(effective, tokens);
        HelixServer server = start(effective, context, tokens)) {
      Thread hook = new Thread(server::close, "helix-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      server.awaitShutdown();
    }
    return ExitCodes.OK;
  }

  private static HelixServer start(HelixConfig config, ContextService context, Tokens tokens)
      throws IOException {
    try {
      return HelixServer.start(config, context, VersionProvider.version(), tokens);
    } catch (IllegalArgumentException e) {
      throw new CommandFailedException(e.getMessage(), ExitCodes.USAGE);
    } catch (IOException e) {
      throw new CommandFailedException(e.getMessage(), ExitCodes.ERROR);
    }
  }
}
