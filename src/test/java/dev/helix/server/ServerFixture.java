package dev.helix.server;

import dev.helix.config.ConfigLoader;
import dev.helix.config.HelixConfig;
import dev.helix.context.ContextService;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
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
import java.util.Map;

/**
 * A real {@link HelixServer} on a free loopback port, configured by a helix.toml in a temp folder.
 */
final class ServerFixture implements AutoCloseable {
  final HelixServer server;
  final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private ServerFixture(HelixServer server) {
    this.server = server;
  }

  /**
   * @param toml extra helix.toml lines for the {@code [server]} section (port 0 is always set)
   */
  static ServerFixture start(
      Path dir, String upstream, String toml, Map<String, String> env, ContextService context)
      throws Exception {
    Files.writeString(
        dir.resolve("helix.toml"), "[server]\nport = 0\nupstream = \"" + upstream + "\"\n" + toml);
    HelixConfig config = new ConfigLoader(env, dir, dir).load(dir.resolve("helix.toml")).config();
    return new ServerFixture(HelixServer.start(config, context, "test", Clock.systemUTC()));
  }

  String url() {
    return "http://127.0.0.1:" + server.port();
  }

  HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url() + path)).GET();
    if (headers.length > 0) {
      b.headers(headers);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String path, String json, String... headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url() + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Sends raw request text (for headers the JDK client will not set, like Host) and returns the
   * status line and the rest of the answer.
   */
  String raw(String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      OutputStream out = socket.getOutputStream();
      out.write(request.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      StringBuilder answer = new StringBuilder();
      char[] buffer = new char[8192];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        answer.append(buffer, 0, n);
      }
      return answer.toString();
    }
  }

  @Override
  public void close() {
    server.close();
    client.close();
  }
}
