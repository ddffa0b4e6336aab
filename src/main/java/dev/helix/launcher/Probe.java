package dev.helix.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.helix.http.Daemon;
import dev.helix.http.LocalClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The launcher's HTTP and TCP probes of its children: health, readiness, shutdown, port checks. */
final class Probe {
  private static final Logger log = LoggerFactory.getLogger(Probe.class);

  /** One HTTP answer. */
  record Reply(int status, String body) {
    boolean success() {
      return status >= 200 && status < 300;
    }
  }

  /**
   * The children are on this machine: a connect that takes a second means nothing listens usefully;
   * each call's own timeout caps it further.
   */
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);

  private final ObjectMapper mapper;
  private final LocalClient client;

  Probe(ObjectMapper mapper) {
    this.mapper = mapper;
    // Named for the server: the messages are not shown (a probe only needs whether and what came
    // back).
    this.client = new LocalClient(Daemon.SERVER, mapper, CONNECT_TIMEOUT);
  }

  /** A GET, or empty when nothing answered in time. */
  Optional<Reply> get(String url, Duration timeout, @Nullable String bearer) {
    return answer(url, () -> client.withBearer(bearer).getAsync(url, timeout));
  }

  /** A POST with a JSON body (or none), or empty when nothing answered in time. */
  Optional<Reply> post(
      String url, Duration timeout, Map<String, String> headers, @Nullable String json) {
    return answer(
        url,
        () -> {
          LocalClient c = client;
          for (Map.Entry<String, String> h : headers.entrySet()) {
            c = c.withHeader(h.getKey(), h.getValue());
          }
          return c.postAsync(url, json == null ? null : new RawValue(json), timeout);
        });
  }

  /**
   * Any answer, whatever its status or body; empty when none came (refused, timed out, broken).
   * Waits through an interrupt, as a blocking socket did before: a launcher that is stopping still
   * sends its children their shutdown, and every call ends by its timeout.
   */
  private static Optional<Reply> answer(
      String url, Supplier<CompletableFuture<dev.helix.http.Reply>> call) {
    dev.helix.http.Reply reply;
    try {
      reply = call.get().join();
    } catch (IllegalArgumentException e) {
      log.debug("not probing {}: {}", url, e.getMessage());
      return Optional.empty();
    }
    return reply.status() == 0
        ? Optional.empty()
        : Optional.of(new Reply(reply.status(), reply.body()));
  }

  /** The pid a helix server reports on {@code /health}, when what answers there is helix. */
  Optional<Long> helixPid(String baseUrl, Duration timeout) {
    return get(baseUrl + "/health", timeout, null)
        .filter(Reply::success)
        .flatMap(
            r -> {
              JsonNode node = parse(r.body());
              if (node != null
                  && "helix".equals(node.path("service").asText())
                  && node.path("pid").canConvertToLong()) {
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
