package dev.helix.cli;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A stand-in for the helix launcher in its own process: answers {@code GET /api/state} with the
 * JSON in the file named by its argument, prints its port, and exits when its stdin closes.
 */
public final class StandInLauncher {
  private StandInLauncher() {}

  public static void main(String[] args) throws Exception {
    byte[] state = Files.readAllBytes(Path.of(args[0]));
    HttpServer http =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    http.createContext(
        "/api/state",
        exchange -> {
          try (exchange) {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, state.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(state);
            }
          }
        });
    http.start();
    System.out.println(http.getAddress().getPort());
    System.out.flush();
    System.in.transferTo(OutputStream.nullOutputStream());
    http.stop(0);
  }

  /** Starts one as a child of the test JVM; returns the process and its port. */
  static Started start(Path stateFile) throws Exception {
    Process process =
        new ProcessBuilder(
                dev.helix.testing.HelixRun.java(),
                "-cp",
                System.getProperty("java.class.path"),
                StandInLauncher.class.getName(),
                stateFile.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String port =
        new java.io.BufferedReader(
                new java.io.InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))
            .readLine();
    if (port == null) {
      process.destroyForcibly();
      throw new AssertionError("the stand-in launcher did not start");
    }
    return new Started(process, Integer.parseInt(port.strip()));
  }

  record Started(Process process, int port) implements AutoCloseable {
    @Override
    public void close() throws Exception {
      process.getOutputStream().close();
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }
}
