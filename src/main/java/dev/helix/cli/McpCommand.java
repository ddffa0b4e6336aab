package dev.helix.cli;

import dev.helix.config.HelixConfig;
import dev.helix.mcp.HelixMcp;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code helix mcp}: helix's tools for a coding agent, over MCP on stdin/stdout. */
@Command(
    name = "mcp",
    mixinStandardHelpOptions = true,
    description = {
      "Serve helix's tools (helix_context, helix_context_packet, helix_ingest, helix_health, "
          + "helix_stats) to a coding agent over MCP on stdin/stdout; exits when stdin closes.",
      "Each tool calls the helix server at $HELIX_MCP_URL, else [server] host:port.",
      "Example: claude mcp add helix -- /path/to/helix mcp"
    })
final class McpCommand implements Callable<Integer> {
  private final Cli cli;

  @Mixin ConfigOption config = new ConfigOption();

  McpCommand(Cli cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() throws Exception {
    HelixConfig effective = cli.load(config.path).config();
    HelixMcp mcp;
    try {
      mcp = HelixMcp.create(effective, VersionProvider.version(), Path.of("").toAbsolutePath());
    } catch (IllegalArgumentException e) {
      throw new CommandFailedException(e.getMessage(), ExitCodes.USAGE);
    }
    // stdout belongs to the protocol alone: the transport gets the raw descriptor, and anything
    // else in this process that prints to System.out (a library's banner, a stray println) lands
    // on stderr instead of corrupting the message stream.
    OutputStream protocol = new FileOutputStream(FileDescriptor.out);
    PrintStream stdout = System.out;
    System.setOut(System.err);
    try {
      return mcp.serve(System.in, protocol);
    } finally {
      System.setOut(stdout);
    }
  }
}
