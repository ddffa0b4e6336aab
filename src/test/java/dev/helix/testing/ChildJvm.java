package dev.helix.testing;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Starts test programs as separate JVMs with this JVM's java and class path; frees ports; waits.
 */
public final class ChildJvm {
  private ChildJvm() {}

  public static String java() {
    return ProcessHandle.current().info().command().orElseThrow();
  }

  /** {@code java -cp <test class path> mainClass args...}. */
  public static List<String> command(Class<?> mainClass, String... args) {
    List<String> command =
        new ArrayList<>(
            List.of(java(), "-cp", System.getProperty("java.class.path"), mainClass.getName()));
    command.addAll(List.of(args));
    return command;
  }

  public static Process start(List<String> command, Map<String, String> env, Path log)
      throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(env);
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    return builder.start();
  }

  /** A port nothing listens on right now; see {@link #freePorts}. */
  public static int freePort() throws IOException {
    return freePorts(1)[0];
  }

  /**
   * {@code count} distinct ports nothing listens on right now. They come from below the kernel's
   * ephemeral range: a port from bind(0) is free again once probed, so the next bind(0) (a
   * stand-in, the launcher's own port, an outgoing connection) may get it before the child meant to
   * use it starts, and then that child's requests reach the wrong process.
   */
  public static int[] freePorts(int count) throws IOException {
    int high = ephemeralLow() - 1;
    int low = Math.max(1024, high - 20_000);
    List<ServerSocket> held = new ArrayList<>();
    try {
      int[] ports = new int[count];
      for (int attempt = 0; held.size() < count; attempt++) {
        if (attempt > 10_000) {
          throw new IOException(
              "no free port between " + low + " and " + high + " after 10000 tries");
        }
        int port = ThreadLocalRandom.current().nextInt(low, high + 1);
        ServerSocket socket = new ServerSocket();
        try {
          socket.bind(
              new InetSocketAddress(
                  port)); // the wildcard: free on every address, loopback included
        } catch (IOException e) {
          socket.close();
          continue;
        }
        ports[held.size()] = port;
        held.add(socket); // held until all are found, so the ports are distinct
      }
      return ports;
    } finally {
      for (ServerSocket socket : held) {
        socket.close();
      }
    }
  }

  /**
   * The first port of {@code net.ipv4.ip_local_port_range}; Linux's default where it cannot be
   * read.
   */
  private static int ephemeralLow() {
    try {
      int low =
          Integer.parseInt(
              Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))
                  .trim()
                  .split("\\s+")[0]);
      return low > 3024 ? low : 32768;
    } catch (IOException | RuntimeException e) {
      return 32768;
    }
  }

  public static boolean listening(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 300);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Waits until something listens on {@code port}; fails the test with {@code what} otherwise. */
  public static void awaitListening(int port, Duration wait, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (!listening(port)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            what + " did not listen on port " + port + " within " + wait.toSeconds() + " s");
      }
      Thread.sleep(50);
    }
  }

  public static void stop(ProcessHandle process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    process.onExit().join();
  }
}
