import java.nio.file.Files;
import java.nio.file.Path;
import org.codelibs.opensearch.runner.OpenSearchRunner;

/**
 * Starts one OpenSearch node for helix's tests: {@code java -cp <this pom's classpath>
 * HelixOpenSearchNode.java DATA_DIR HTTP_PORT}. Prints "ready" once the cluster is green (yellow
 * is enough for one node) and runs until its standard input closes, so a test that dies takes the
 * node with it.
 */
public final class HelixOpenSearchNode {
  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: HelixOpenSearchNode DATA_DIR HTTP_PORT");
      System.exit(2);
    }
    Path base = Path.of(args[0]);
    Files.createDirectories(base);
    int port = Integer.parseInt(args[1]);
    OpenSearchRunner runner = new OpenSearchRunner();
    runner.onBuild((number, settings) -> {
      settings.put("http.port", String.valueOf(port));
      settings.put("transport.port", "0");
      settings.put("network.host", "127.0.0.1");
      // A test machine's disk is often fuller than OpenSearch's 85 % watermark: never block writes on it.
      settings.put("cluster.routing.allocation.disk.threshold_enabled", "false");
    }).build(OpenSearchRunner.newConfigs().basePath(base.toString()).numOfNode(1).clusterName("helix-test")
        .printOnFailure());
    runner.ensureYellow();
    System.out.println("ready " + port);
    System.out.flush();
    try {
      while (System.in.read() != -1) {
        // Runs until the parent closes our standard input or dies.
      }
    } finally {
      runner.close();
      runner.clean();
    }
  }
}
