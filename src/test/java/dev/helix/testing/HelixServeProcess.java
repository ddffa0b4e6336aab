package dev.helix.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code helix serve} from the built application ({@code helix.app.dir}) as a child process, on a
 * port of its own choosing (port 0), with HELIX_HOME in a temp folder. Close it to stop it.
 */
public final class HelixServeProcess implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("listening on http://[^:]+:(\\d+)");

  private final Process process;
  private final int port;
  private final List<String> log;

  private HelixServeProcess(Process process, int port, List<String> log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * @param home a temp folder for HELIX_HOME and the config file
   * @param serverToml lines for the {@code [server]} section ({@code port = 0} is added)
   */
  public static HelixServeProcess start(Path home, String serverToml, Map<String, String> env)
      throws IOException {
    Path config = home.resolve("helix.toml");
    Files.writeString(
        config,
        "[server]\nport = 0\n"
            + serverToml
            + "\n[store]\npath = \""
            + home.resolve("store").toString().replace("\\", "\\\\")
            + "\"\n");
    Path app = Path.of(System.getProperty("helix.app.dir", "target/app"));
    String java = ProcessHandle.current().info().command().orElseThrow();
    ProcessBuilder builder =
        new ProcessBuilder(
            java,
            "-jar",
            app.resolve("helix.jar").toString(),
            "serve",
            "--config",
            config.toString());
    builder.environment().keySet().removeIf(k -> k.startsWith("HELIX_") || k.startsWith("OPENAI_"));
    builder.environment().put("HELIX_HOME", home.toString());
    builder.environment().putAll(env);
    Process process = builder.redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    List<String> log = Collections.synchronizedList(new ArrayList<>());
    CompletableFuture<Integer> port = new CompletableFuture<>();
    Thread.ofVirtual()
        .start(
            () -> {
              try (BufferedReader err =
                  new BufferedReader(
                      new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line = err.readLine(); line != null; line = err.readLine()) {
                  log.add(line);
                  Matcher m = LISTENING.matcher(line);
                  if (m.find()) {
                    port.complete(Integer.parseInt(m.group(1)));
                  }
                }
              } catch (IOException e) {
                port.completeExceptionally(e);
              }
              port.completeExceptionally(
                  new IOException("helix serve ended before listening; its log: " + log));
            });
    try {
      return new HelixServeProcess(process, port.get(60, TimeUnit.SECONDS), log);
    } catch (Exception e) {
      process.destroyForcibly();
      throw new IOException("helix serve did not start: " + e.getMessage() + "; log: " + log, e);
    }
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  /** Everything the server wrote on stderr so far. */
  public List<String> log() {
    return List.copyOf(log);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
