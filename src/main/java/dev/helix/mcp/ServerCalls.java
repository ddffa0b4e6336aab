package dev.helix.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helix.http.Daemon;
import dev.helix.http.LocalClient;
import dev.helix.http.Reply;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The HTTP calls behind the tools: one request to the helix server per tool call, with the bearer
 * token when one is configured. Never throws for a network failure: it is a {@link Reply} too.
 */
final class ServerCalls {
  /**
   * The server is local: a loopback connect takes well under a millisecond, so two seconds only
   * ever elapse when nothing listens and the SYN is dropped (a firewalled or wrong host).
   */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

  private final String base;
  private final LocalClient client;

  ServerCalls(String base, @Nullable String token, ObjectMapper json) {
    this.base = base;
    this.client = new LocalClient(Daemon.SERVER, json, CONNECT_TIMEOUT).withBearer(token);
  }

  /** The server's base URL, as the messages name it. */
  String base() {
    return base;
  }

  Reply get(String path, Duration timeout) {
    try {
      return client.get(base + path, timeout);
    } catch (InterruptedException e) {
      return interrupted(path);
    }
  }

  Reply post(String path, Map<String, ?> body, Duration timeout) {
    try {
      return client.post(base + path, body, timeout);
    } catch (InterruptedException e) {
      return interrupted(path);
    }
  }

  private Reply interrupted(String path) {
    Thread.currentThread().interrupt();
    return new Reply.BadAnswer(
        Daemon.SERVER,
        base + path,
        0,
        "",
        "interrupted while waiting for the answer (helix mcp is shutting down)");
  }
}
