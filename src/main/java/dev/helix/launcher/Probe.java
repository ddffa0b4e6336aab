package dev.helix.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** The launcher's HTTP and TCP probes of its children: health, readiness, shutdown, port checks. */
final class Probe {
  /** One HTTP answer. */
  record Reply(int status, String body) {
    boolean success() {
      return status >= 200 && status < 300;
    }
  }

  private final ObjectMapper mapper;

  Probe(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /** A GET, or empty when nothing answered in time. */
  Optional<Reply> get(String url, Duration timeout, @Nullable String bearer) {
    return send("GET", url, timeout, bearer == null ? Map.of() : Map.of("Authorization", "Bearer " + bearer), null);
  }

  /** A POST with a JSON body (or none), or empty when nothing answered in time. */
  Optional<Reply> post(String url, Duration timeout, Map<String, String> headers, @Nullable String json) {
    return send("POST", url, timeout, headers, json);
  }

  /**
   * One plain-HTTP exchange with a child on this machine. HttpURLConnection rather than the JDK's
   * HttpClient: the client's start (selector thread, TLS context) costs a few hundred milliseconds
   * of CPU, spent exactly while the server child boots on the same two cores.
   */
  private Optional<Reply> send(String method, String url, Duration timeout, Map<String, String> headers,
      @Nullable String json) {
    HttpURLConnection connection = null;
    try {
      connection = (HttpURLConnection) URI.create(url).toURL().openConnection(Proxy.NO_PROXY);
      int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
      connection.setConnectTimeout(Math.min(millis, 1000));
      connection.setReadTimeout(millis);
      connection.setInstanceFollowRedirects(false);
      connection.setUseCaches(false);
      connection.setRequestMethod(method);
      headers.forEach(connection::setRequestProperty);
      if (method.equals("POST")) {
        byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
        if (json != null) {
          connection.setRequestProperty("Content-Type", "application/json");
        }
        connection.setDoOutput(true);
        connection.setFixedLengthStreamingMode(body.length);
        try (OutputStream out = connection.getOutputStream()) {
          out.write(body);
        }
      }
      int status = connection.getResponseCode();
      InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
      String text = "";
      if (in != null) {
        try (in) {
          text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
      }
      return Optional.of(new Reply(status, text));
    } catch (IOException | IllegalArgumentException e) {
      return Optional.empty();
    } finally {
      if (connection != null) {
        connection.disconnect();
      }
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
}
