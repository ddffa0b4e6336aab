package dev.helix.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** The launcher's HTTP and TCP probes of its children: health, readiness, shutdown, port checks. */
final class Probe implements AutoCloseable {
  /** One HTTP answer. */
  record Reply(int status, String body) {
    boolean success() {
      return status >= 200 && status < 300;
    }
  }

  // Built on first use: loading the HTTP client costs a JVM hundreds of milliseconds, which the
  // launcher spends only after the server child is already booting.
  private @Nullable HttpClient client;
  private final ObjectMapper mapper;

  Probe(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /** A GET, or empty when nothing answered in time. */
  Optional<Reply> get(String url, Duration timeout, @Nullable String bearer) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET();
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    return send(request.build());
  }

  /** A POST with a JSON body (or none), or empty when nothing answered in time. */
  Optional<Reply> post(String url, Duration timeout, Map<String, String> headers, @Nullable String json) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
        .POST(json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
    if (json != null) {
      request.header("Content-Type", "application/json");
    }
    headers.forEach(request::header);
    return send(request.build());
  }

  private synchronized HttpClient client() {
    if (client == null) {
      client = HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(1))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();
    }
    return client;
  }

  private Optional<Reply> send(HttpRequest request) {
    try {
      HttpResponse<String> response = client().send(request, HttpResponse.BodyHandlers.ofString());
      return Optional.of(new Reply(response.statusCode(), response.body()));
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /** The pid a helix server reports on {@code /health}, when what answers there is helix. */
  Optional<Long> helixPid(String baseUrl, Duration timeout) {
    return get(baseUrl + "/health", timeout, null).filter(Reply::success).flatMap(r -> {
      JsonNode node = parse(r.body());
      if (node != null && "helix".equals(node.path("service").asText()) && node.path("pid").canConvertToLong()) {
        return Optional.of(node.path("pid").asLong());
      }
      return Optional.empty();
    });
  }

  /**
   * The identity of what holds a port, asked up to three times, 2 s each: a wrong "not helix" makes
   * the launcher refuse to start, and a helix that just bound its port on a busy machine may take
   * more than a second to answer its first request.
   */
  Optional<Long> helixPidPatiently(String baseUrl) {
    for (int attempt = 0; attempt < 3; attempt++) {
      Optional<Long> pid = helixPid(baseUrl, Duration.ofSeconds(2));
      if (pid.isPresent()) {
        return pid;
      }
    }
    return Optional.empty();
  }

  /** Headroom's readiness: the first 2xx among /readyz, /livez, /health (a 503 falls through). */
  boolean headroomReady(String baseUrl, Duration timeout) {
    for (String path : new String[] {"/readyz", "/livez", "/health"}) {
      if (get(baseUrl + path, timeout, null).filter(Reply::success).isPresent()) {
        return true;
      }
    }
    return false;
  }

  @Nullable JsonNode parse(String body) {
    try {
      return mapper.readTree(body);
    } catch (IOException e) {
      return null;
    }
  }

  /** True when nothing accepts connections on host:port (so clients would be refused). */
  static boolean nobodyListening(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 300);
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  /** True when this process could bind host:port now, i.e. no other program holds it. */
  static boolean canBind(String host, int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(host, port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public synchronized void close() {
    if (client != null) {
      client.close();
    }
  }
}
