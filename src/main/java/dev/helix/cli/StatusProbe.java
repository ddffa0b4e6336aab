package dev.helix.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helix.http.Daemon;
import dev.helix.http.LocalClient;
import dev.helix.http.Reply;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * GETs one JSON document from a local daemon for {@code helix status}; a failure is an answer too.
 */
final class StatusProbe {
  /** Both daemons are local: a connect that takes a second means nothing is listening usefully. */
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);

  /**
   * docs/api.md: /health answers within about a second even when the upstream hangs; 3 s is
   * generous.
   */
  private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(3);

  /**
   * What one GET gave: a JSON body with its status, or why there was none.
   *
   * @param status the HTTP status, 0 when nothing answered
   */
  record Probe(int status, @Nullable JsonNode body, @Nullable String failure) {
    boolean answered() {
      return status != 0;
    }

    boolean ok() {
      return status == 200 && body != null;
    }
  }

  private final LocalClient client;

  StatusProbe(ObjectMapper json) {
    // Named for the server: the launcher's failures are worded by StatusCommand from the detail
    // alone.
    this.client = new LocalClient(Daemon.SERVER, json, CONNECT_TIMEOUT);
  }

  CompletableFuture<Probe> get(String url, @Nullable String token) {
    return client.withBearer(token).getAsync(url, ANSWER_TIMEOUT).thenApply(StatusProbe::probe);
  }

  /** Any answer with its status (and its JSON, if it is JSON), else why none came. */
  private static Probe probe(Reply reply) {
    return switch (reply) {
      case Reply.Ok ok -> new Probe(ok.status(), ok.json(), null);
      case Reply.ErrorStatus e -> new Probe(e.status(), e.json(), null);
      case Reply.BadAnswer b when b.status() != 0 -> new Probe(b.status(), null, null);
      case Reply.Failure f -> new Probe(0, null, f.detail());
    };
  }
}
