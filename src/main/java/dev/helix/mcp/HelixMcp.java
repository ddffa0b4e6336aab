package dev.helix.mcp;

import dev.helix.config.HelixConfig;
import dev.helix.text.Json;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapperSupplier;
import io.modelcontextprotocol.json.schema.jackson3.DefaultJsonSchemaValidator;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code helix mcp}: an MCP server on a pair of streams whose tools are HTTP calls to the helix
 * server (docs/mcp.md). It never writes anything but protocol messages to its output stream.
 */
public final class HelixMcp {
  private static final Logger log = LoggerFactory.getLogger(HelixMcp.class);

  /**
   * After stdin ends, calls already running get this long to answer: docs/mcp.md wants an exit when
   * stdin closes, and the task that set it asks for one within 2 s; 1.5 s leaves room for the JVM's
   * exit.
   */
  private static final Duration DRAIN = Duration.ofMillis(1500);

  /**
   * Time for the SDK's writer thread to put a finished call's answer on stdout (microseconds,
   * normally).
   */
  private static final Duration LAST_WRITE = Duration.ofMillis(100);

  private static final String INSTRUCTIONS =
      """
      helix is the user's local context server: a store of their indexed code, docs and notes. Call \
      helix_context before answering questions about this project; answer from its `context` only when \
      `verdict` is "know", and cite the sources. On a "miss", do not answer from the context: read the \
      files, or refresh them with helix_ingest when the reason is "stale".""";

  private final String serverUrl;
  private final String version;
  private final ToolCalls calls;
  private final AtomicInteger running = new AtomicInteger();

  private HelixMcp(String serverUrl, @Nullable String token, String version, Path workingDir) {
    this.serverUrl = serverUrl;
    this.version = version;
    this.calls =
        new ToolCalls(new ServerCalls(serverUrl, token, Json.mapper()), Json.mapper(), workingDir);
  }

  /**
   * The MCP server for {@code config}: tools call {@code HELIX_MCP_URL} when set, else the
   * configured server; relative ingest paths are resolved against {@code workingDir}.
   *
   * @throws IllegalArgumentException when {@code HELIX_MCP_URL} is not an http(s) URL
   */
  public static HelixMcp create(HelixConfig config, String version, Path workingDir) {
    String url = config.mcpUrl() != null ? checkedUrl(config.mcpUrl()) : config.server().baseUrl();
    return new HelixMcp(url, config.server().token(), version, workingDir.toAbsolutePath());
  }

  /** The helix server the tools call, e.g. {@code http://127.0.0.1:11437}. */
  public String serverUrl() {
    return serverUrl;
  }

  /**
   * Speaks MCP on {@code in}/{@code out} until {@code in} ends, then returns the exit status (0).
   * Blocks the calling thread.
   */
  public int serve(InputStream in, OutputStream out) throws InterruptedException {
    ProtocolInput input = new ProtocolInput(in, out);
    McpJsonMapper mapper = new JacksonMcpJsonMapperSupplier().get();
    StdioServerTransportProvider transport = new StdioServerTransportProvider(mapper, input, out);
    McpSyncServer server =
        McpServer.sync(transport)
            .serverInfo("helix", version)
            .instructions(INSTRUCTIONS)
            .jsonMapper(mapper)
            .jsonSchemaValidator(new DefaultJsonSchemaValidator())
            // Arguments that break the schema come back as tool errors naming the field, before any
            // HTTP call.
            .validateToolInputs(true)
            .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
            .tools(specifications(mapper))
            .build();
    log.info(
        "helix mcp: serving {} tools on stdio; they call the helix server at {}",
        ToolCatalog.ALL.size(),
        serverUrl);
    try {
      input.awaitEnd();
      log.info(
          "helix mcp: stdin closed; exiting once the {} running call(s) answered", running.get());
      drain();
    } finally {
      input.release();
      // Stop without waiting on the SDK's threads: the process is about to exit.
      Thread closer = Thread.ofPlatform().daemon().start(server::closeGracefully);
      closer.join(LAST_WRITE.toMillis());
    }
    return 0;
  }

  private void drain() throws InterruptedException {
    long deadline = System.nanoTime() + DRAIN.toNanos();
    while (running.get() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    if (running.get() > 0) {
      log.warn(
          "helix mcp: {} call(s) still running at exit; their answers are lost", running.get());
    }
    Thread.sleep(LAST_WRITE.toMillis());
  }

  private List<McpServerFeatures.SyncToolSpecification> specifications(McpJsonMapper mapper) {
    return ToolCatalog.ALL.stream()
        .map(
            tool ->
                McpServerFeatures.SyncToolSpecification.builder()
                    .tool(
                        McpSchema.Tool.builder(tool.name(), mapper, tool.inputSchema())
                            .title(tool.title())
                            .description(tool.description())
                            .annotations(
                                new McpSchema.ToolAnnotations(
                                    tool.title(), tool.readOnly(), false, true, false, null))
                            .build())
                    .callHandler((exchange, request) -> toMcp(run(tool, request.arguments())))
                    .build())
        .toList();
  }

  private ToolResult run(Tool tool, @Nullable Map<String, Object> arguments) {
    running.incrementAndGet();
    try {
      ToolResult result = calls.call(tool, arguments);
      if (result.error()) {
        log.warn("{}: {}", tool.name(), result.text());
      }
      return result;
    } catch (RuntimeException e) {
      // A bug must still reach the agent as a tool error, and the log keeps the whole cause.
      log.error("{} failed unexpectedly", tool.name(), e);
      return ToolResult.failure(
          tool.name()
              + " failed inside helix mcp ("
              + e
              + "); this is a bug in helix, please report it. Meanwhile try ./helix query on the command line.");
    } finally {
      running.decrementAndGet();
    }
  }

  private static McpSchema.CallToolResult toMcp(ToolResult result) {
    McpSchema.CallToolResult.Builder builder =
        McpSchema.CallToolResult.builder().addTextContent(result.text()).isError(result.error());
    if (result.structured() != null) {
      builder.structuredContent(result.structured());
    }
    return builder.build();
  }

  private static String checkedUrl(String url) {
    String trimmed = url.strip();
    try {
      URI uri = new URI(trimmed);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https"))
          && uri.getHost() != null
          && uri.getQuery() == null) {
        return trimmed.replaceAll("/+$", "");
      }
    } catch (URISyntaxException e) {
      // Reported below with the value and an example.
    }
    throw new IllegalArgumentException(
        "HELIX_MCP_URL="
            + url
            + " is not an http(s) URL of the helix server; "
            + "set it like http://127.0.0.1:11437, or unset it to use [server] host and port");
  }
}
