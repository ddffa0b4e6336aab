package dev.helix.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helix.testing.HelixRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The official MCP TypeScript SDK client ({@code src/test/mcp-client/client.mjs}) driving a real
 * {@code helix mcp} child, as an agent would. Installs the client's npm packages on first use.
 */
final class NodeMcpClient {
  /** What the client printed: its JSON report, and stderr (its own and helix mcp's). */
  record Run(JsonNode report, String stderr) {}

  private static final Path CLIENT_DIR =
      Path.of(System.getProperty("user.dir"), "src", "test", "mcp-client");

  private NodeMcpClient() {}

  /**
   * Runs the client in {@code cwd} against {@code helix mcp} with {@code env}, making {@code calls}
   * ({@code [{"name", "arguments"}]}) after listing the tools.
   */
  static Run run(Path cwd, Map<String, String> env, List<Map<String, Object>> calls)
      throws Exception {
    installOnce();
    List<String> command =
        new ArrayList<>(List.of("node", CLIENT_DIR.resolve("client.mjs").toString()));
    command.addAll(HelixRun.command("mcp"));
    ProcessBuilder builder = new ProcessBuilder(command).directory(cwd.toFile());
    builder
        .environment()
        .keySet()
        .removeIf(k -> k.startsWith("HELIX_") || k.equals("OPENAI_TARGET_API_URL"));
    builder.environment().putAll(env);
    builder
        .environment()
        .put("HELIX_MCP_CLIENT_CALLS", new ObjectMapper().writeValueAsString(calls));
    builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new AssertionError(
          "node is not on PATH: install Node.js 18 or newer to run the MCP client tests", e);
    }
    try {
      CompletableFuture<String> stderr =
          CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
      String stdout = read(process.getInputStream());
      if (!process.waitFor(180, TimeUnit.SECONDS)) {
        throw new AssertionError(
            "the MCP client did not finish in 180 s; stderr: " + stderr.getNow(""));
      }
      String err = stderr.join();
      if (process.exitValue() != 0 || stdout.isBlank()) {
        throw new AssertionError(
            "the MCP client failed (exit " + process.exitValue() + "); stderr:\n" + err);
      }
      return new Run(new ObjectMapper().readTree(stdout), err);
    } finally {
      process.destroyForcibly();
    }
  }

  /**
   * {@code npm ci} in the client folder when its node_modules is missing, once across parallel
   * tests.
   */
  private static void installOnce() throws Exception {
    if (Files.isDirectory(CLIENT_DIR.resolve("node_modules/@modelcontextprotocol/sdk"))) {
      return;
    }
    try (FileChannel channel =
            FileChannel.open(
                CLIENT_DIR.resolve(".install.lock"),
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock = channel.lock()) {
      if (Files.isDirectory(CLIENT_DIR.resolve("node_modules/@modelcontextprotocol/sdk"))) {
        return;
      }
      Process npm;
      try {
        npm =
            new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund")
                .directory(CLIENT_DIR.toFile())
                .redirectErrorStream(true)
                .start();
      } catch (IOException e) {
        throw new AssertionError(
            "npm is not on PATH: install Node.js 18 or newer to run the MCP client tests", e);
      }
      String output = read(npm.getInputStream());
      if (!npm.waitFor(300, TimeUnit.SECONDS) || npm.exitValue() != 0) {
        throw new AssertionError("npm ci in " + CLIENT_DIR + " failed:\n" + output);
      }
    }
  }

  private static String read(java.io.InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
