package dev.helix.store;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real OpenSearch node in a child process, on a free port with a temporary data folder, from
 * opensearch-node/pom.xml's class path (never helix's: OpenSearch pins another Lucene). It stops
 * when closed, and when this JVM dies, since it runs until its standard input closes.
 */
public final class OpenSearchNode implements AutoCloseable {
  /**
   * A node starts in about 15 s on an idle 2-core machine and took 45 s beside three other builds;
   * three minutes means it will not.
   */
  private static final Duration START_WAIT = Duration.ofMinutes(3);

  private final Process process;
  private final Path data;
  private final URI url;

  private OpenSearchNode(Process process, Path data, URI url) {
    this.process = process;
    this.data = data;
    this.url = url;
  }

  public static OpenSearchNode start() throws IOException, InterruptedException {
    Path project = Path.of(System.getProperty("user.dir"));
    Path nodeDir = project.resolve("opensearch-node");
    String classpath = classpath(project, nodeDir);
    int port = dev.helix.testing.ChildJvm.freePort();
    Path data = Files.createTempDirectory("helix-opensearch-");
    String java = ProcessHandle.current().info().command().orElse("java");
    Path log = data.resolve("node.log");
    Process p =
        new ProcessBuilder(
                java,
                "-Xms256m",
                "-Xmx512m",
                "-cp",
                classpath,
                nodeDir.resolve("src/HelixOpenSearchNode.java").toString(),
                data.resolve("node").toString(),
                String.valueOf(port))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    OpenSearchNode node = new OpenSearchNode(p, data, URI.create("http://127.0.0.1:" + port));
    try {
      node.awaitReady(log);
    } catch (IOException | InterruptedException | RuntimeException e) {
      node.close();
      throw e;
    }
    return node;
  }

  /** The node's class path, resolved by Maven once and kept in target/. */
  private static String classpath(Path project, Path nodeDir)
      throws IOException, InterruptedException {
    Path file = project.resolve("target/opensearch-node.classpath");
    if (!Files.isRegularFile(file)) {
      Files.createDirectories(file.getParent());
      Process mvn =
          new ProcessBuilder(
                  project.resolve("mvnw").toString(),
                  "-q",
                  "-B",
                  "-f",
                  nodeDir.resolve("pom.xml").toString(),
                  "dependency:build-classpath",
                  "-Dmdep.outputFile=" + file)
              .inheritIO()
              .start();
      if (!mvn.waitFor(10, TimeUnit.MINUTES)
          || mvn.exitValue() != 0
          || !Files.isRegularFile(file)) {
        mvn.destroyForcibly();
        throw new IOException(
            "resolving opensearch-node/pom.xml's class path failed; run ./mvnw -B -f"
                + " opensearch-node/pom.xml dependency:build-classpath and read its errors");
      }
    }
    return Files.readString(file, StandardCharsets.UTF_8).strip();
  }

  private void awaitReady(Path log) throws IOException, InterruptedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + START_WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException(
            "the OpenSearch node exited with "
                + process.exitValue()
                + " before it answered; its log:\n"
                + tail(log));
      }
      try {
        HttpResponse<String> r =
            client.send(
                HttpRequest.newBuilder(
                        url.resolve("/_cluster/health?wait_for_status=yellow&timeout=5s"))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // Not listening yet.
      }
      Thread.sleep(500);
    }
    throw new IOException(
        "the OpenSearch node did not answer at "
            + url
            + " within "
            + START_WAIT.toSeconds()
            + " s; its log:\n"
            + tail(log));
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }

  public URI url() {
    return url;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    process.getOutputStream().close();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    try (Stream<Path> files = Files.walk(data)) {
      for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(f);
      }
    }
  }
}
