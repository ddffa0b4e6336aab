package dev.helix.launcher;

import dev.helix.config.ConfigLoader;
import dev.helix.config.HelixConfig;
import dev.helix.testing.ChildJvm;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One launcher under test: a temp HELIX_HOME, a helix.toml with free ports, the environment the
 * launcher (and so its children) gets, and HTTP helpers. Closing it stops everything it started.
 */
final class Fixture implements AutoCloseable {
  final Path dir;
  final int serverPort;
  final int launcherPort;
  final int headroomPort;
  final Map<String, String> env = new HashMap<>(System.getenv());
  private final Map<String, String> keys = new LinkedHashMap<>();
  private final List<AutoCloseable> cleanups = new ArrayList<>();
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  Launcher launcher;

  Fixture(Path dir) throws IOException {
    this.dir = dir;
    int[] ports = ChildJvm.freePorts(3);
    this.serverPort = ports[0];
    this.launcherPort = ports[1];
    this.headroomPort = ports[2];
    env.put("HELIX_HOME", dir.resolve("home").toString());
    env.put("HELIX_STORE_PATH", dir.resolve("store").toString());
    env.remove("HELIX_CONFIG");
    env.remove("HELIX_TOKEN");
    env.remove("HELIX_SERVER_UPSTREAM");
    env.remove("HELIX_HEADROOM_ROUTE_UPSTREAM_AUTO");
    env.remove("HELIX_HEADROOM_ENABLED");
    env.remove("HELIX_HEADROOM_AUTOSTART");
    env.remove("OPENAI_TARGET_API_URL");
    set("server.port", Integer.toString(serverPort));
    set("launcher.port", Integer.toString(launcherPort));
    set("headroom.port", Integer.toString(headroomPort));
  }

  /** Sets one helix.toml key to a raw TOML value ({@code "\"text\""}, {@code true}, {@code 3}). */
  Fixture set(String dottedKey, String tomlValue) {
    keys.put(dottedKey, tomlValue);
    return this;
  }

  Fixture headroomCommand(List<String> command) {
    return set(
        "headroom.command",
        "[" + String.join(", ", command.stream().map(Fixture::quote).toList()) + "]");
  }

  static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  Path writeConfig() throws IOException {
    Map<String, List<String>> sections = new TreeMap<>();
    keys.forEach(
        (k, v) ->
            sections
                .computeIfAbsent(k.substring(0, k.indexOf('.')), s -> new ArrayList<>())
                .add(k.substring(k.indexOf('.') + 1) + " = " + v));
    StringBuilder toml = new StringBuilder();
    sections.forEach(
        (section, lines) -> {
          toml.append('[').append(section).append("]\n");
          lines.forEach(l -> toml.append(l).append('\n'));
        });
    Path file = dir.resolve("helix.toml");
    Files.writeString(file, toml);
    return file;
  }

  HelixConfig config() throws Exception {
    Path file = writeConfig();
    return new ConfigLoader(env, dir, dir).load(file).config();
  }

  Launcher start(boolean superviseServer) throws Exception {
    launcher = Launcher.start(config(), env, Clock.systemUTC(), superviseServer);
    return launcher;
  }

  String token() throws IOException {
    return Files.readString(dir.resolve("home/launcher/session.token")).trim();
  }

  HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + launcher.port() + path))
            .timeout(Duration.ofSeconds(30))
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> control(String action, String query, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(
                URI.create(
                    "http://127.0.0.1:" + launcher.port() + "/api/control/" + action + query))
            .timeout(Duration.ofSeconds(90))
            .header("Content-Type", "application/json")
            .header("X-Helix-Session", token())
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** {@code POST /api/context} with the session token, as the dashboard's question box sends it. */
  HttpResponse<String> ask(String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + launcher.port() + "/api/context"))
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/json")
            .header("X-Helix-Session", token())
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * {@code GET /api/source} + {@code query} with the session token, as a citation's link fetches
   * it.
   */
  HttpResponse<String> lines(String query) throws Exception {
    return http.send(
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + launcher.port() + "/api/source" + query))
            .timeout(Duration.ofSeconds(30))
            .header("X-Helix-Session", token())
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * A raw HTTP/1.1 exchange, for headers java.net.http will not send (Host); returns the status.
   */
  int raw(String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", launcher.port())) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = socket.getInputStream();
      String statusLine = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
      return Integer.parseInt(statusLine.substring(9, 12));
    }
  }

  /** Starts a test program as a separate process, stopped when the fixture closes. */
  Process spawn(List<String> command, Map<String, String> childEnv, String logName)
      throws IOException {
    Process process = ChildJvm.start(command, childEnv, dir.resolve(logName));
    cleanups.add(() -> ChildJvm.stop(process.toHandle()));
    return process;
  }

  HttpResponse<String> getUrl(String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() throws Exception {
    if (launcher != null) {
      launcher.close();
    }
    for (AutoCloseable c : cleanups.reversed()) {
      c.close();
    }
    http.close();
  }
}
