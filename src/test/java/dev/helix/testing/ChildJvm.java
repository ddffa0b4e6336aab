package dev.helix.testing;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Starts test programs as separate JVMs with this JVM's java and class path; frees ports; waits. */
public final class ChildJvm {
  private ChildJvm() {}

  public static String java() {
    return ProcessHandle.current().info().command().orElseThrow();
  }

  /** {@code java -cp <test class path> mainClass args...}. */
  public static List<String> command(Class<?> mainClass, String... args) {
    List<String> command = new ArrayList<>(List.of(java(), "-cp", System.getProperty("java.class.path"), mainClass.getName()));
    command.addAll(List.of(args));
    return command;
  }

  public static Process start(List<String> command, Map<String, String> env, Path log) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(env);
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    return builder.start();
  }

  /** A port nothing listens on right now. */
  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
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
  public static void awaitListening(int port, Duration wait, String what) throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (!listening(port)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(what + " did not listen on port " + port + " within " + wait.toSeconds() + " s");
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
