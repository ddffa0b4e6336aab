package dev.helix.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code helix serve} child on a free loopback port, with its config, home and store in
 * {@code dir}; ready once {@code GET /health} says {@code "service":"helix"}. Close stops it.
 */
public final class ServeProcess implements AutoCloseable {
  private final Process process;
  private final int port;
  private final Path config;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private ServeProcess(Process process, int port, Path config) {
    this.process = process;
    this.port = port;
    this.config = config;
  }

  /** Starts the server with {@code extraToml} appended to its config; waits up to 90 s for it. */
  public static ServeProcess start(Path dir, String extraToml) throws Exception {
    int port = ChildJvm.freePort();
    Path config = dir.resolve("serve.toml");
    Files.writeString(
        config,
        "[server]\nport = "
            + port
            + "\n"
            + "[store]\npath = \""
            + dir.resolve("store").toString().replace("\\", "\\\\")
            + "\"\n"
            + extraToml);
    ProcessBuilder builder =
        new ProcessBuilder(HelixRun.command("serve", "--config", config.toString()))
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("serve.log").toFile());
    builder
        .environment()
        .keySet()
        .removeIf(k -> k.startsWith("HELIX_") || k.equals("OPENAI_TARGET_API_URL"));
    builder.environment().put("HELIX_HOME", dir.resolve("home").toString());
    ServeProcess serve = new ServeProcess(builder.start(), port, config);
    try {
      serve.awaitHealthy(Duration.ofSeconds(90));
    } catch (Exception | AssertionError e) {
      serve.close();
      throw e;
    }
    return serve;
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** The config file it runs with (point {@code --config} of other commands at it). */
  public Path config() {
    return config;
  }

  public long pid() {
    return process.pid();
  }

  /** POSTs {@code json} to {@code path} and returns the status and body. */
  public HttpResponse<String> post(String path, String json)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(url() + path))
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private void awaitHealthy(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError(
            "helix serve exited with " + process.exitValue() + " before it was ready");
      }
      try {
        HttpResponse<String> health =
            http.send(
                HttpRequest.newBuilder(URI.create(url() + "/health"))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (health.statusCode() == 200 && health.body().contains("\"service\":\"helix\"")) {
          return;
        }
      } catch (IOException e) {
        // Not listening yet.
      }
      Thread.sleep(100);
    }
    throw new AssertionError(
        "helix serve on port " + port + " was not healthy within " + timeout.toSeconds() + " s");
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      try {
        http.send(
            HttpRequest.newBuilder(URI.create(url() + "/admin/shutdown"))
                .timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            HttpResponse.BodyHandlers.discarding());
      } catch (IOException e) {
        // Already gone or stuck: the kill below settles it.
      }
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }
}
