package dev.helix.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helix.config.HelixConfig;
import dev.helix.http.Daemon;
import dev.helix.http.LocalClient;
import dev.helix.http.Reply;
import dev.helix.launcher.LauncherClient;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The CLI's way to a running helix server, which owns the store while it runs (docs/launcher.md):
 * the one the launcher of this {@code $HELIX_HOME} runs ({@link LauncherClient#addresses}), else
 * the configured one, found by {@code GET /health} answering {@code "service":"helix"}, then asked
 * over its JSON routes.
 */
final class ServerClient {
  /** A server on loopback answers /health in milliseconds; this only bounds a hung port. */
  private static final Duration PROBE = Duration.ofMillis(1500);

  private final LocalClient client;
  private final ObjectMapper json;
  private final String base;

  private ServerClient(LocalClient client, ObjectMapper json, String base) {
    this.client = client;
    this.json = json;
    this.base = base;
  }

  /**
   * The server of this {@code $HELIX_HOME}'s launcher, else the configured one, if it answers as
   * helix.
   */
  static Optional<ServerClient> find(HelixConfig config, ObjectMapper json)
      throws InterruptedException {
    String base = LauncherClient.addresses(config).serverUrl();
    LocalClient client = new LocalClient(Daemon.SERVER, json, PROBE);
    // Nothing (or something else) answering there is no failure: the CLI works on the store itself.
    if (client.get(base + "/health", PROBE) instanceof Reply.Ok ok
        && ok.status() == 200
        && ok.json().path("service").asText("").equals("helix")) {
      return Optional.of(new ServerClient(client.withBearer(config.server().token()), json, base));
    }
    return Optional.empty();
  }

  String base() {
    return base;
  }

  /**
   * POSTs a JSON body and returns the JSON answer; an error status fails with the server's message.
   */
  Map<String, Object> post(String path, Map<String, Object> body, Duration timeout)
      throws InterruptedException {
    return answer(path, client.post(base + path, body, timeout));
  }

  /** GETs a JSON answer, as {@link #post} does. */
  Map<String, Object> get(String path, Duration timeout) throws InterruptedException {
    return answer(path, client.get(base + path, timeout));
  }

  /** DELETEs, as {@link #post} does; a 404 is a bad argument (a name that is not there). */
  Map<String, Object> delete(String path, Duration timeout) throws InterruptedException {
    return answer(path, client.delete(base + path, timeout));
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> answer(String path, Reply reply) {
    String at = "the helix server at " + base + path;
    return switch (reply) {
      case Reply.Ok ok when ok.json().isObject() -> json.convertValue(ok.json(), Map.class);
      // A 400 refuses what the user gave (a missing path, an empty query): a bad argument, as it is
      // when the CLI works on the store itself.
      case Reply.ErrorStatus e when e.json() != null && e.json().isObject() ->
          throw new CommandFailedException(
              at
                  + " answered "
                  + e.status()
                  + ": "
                  + message(e)
                  + (e.status() == 401
                      ? " (set [server] token or HELIX_TOKEN to the server's token)"
                      : ""),
              e.status() == 400 || e.status() == 404 ? ExitCodes.USAGE : ExitCodes.ERROR);
      case Reply.Ok ok -> throw notJson(at, ok.status());
      case Reply.ErrorStatus e -> throw notJson(at, e.status());
      case Reply.BadAnswer b when b.status() != 0 -> throw notJson(at, b.status());
      // Not running any more, too slow, or cut off: the client's own sentence names the URL and
      // what to do.
      case Reply.Failure f -> throw new CommandFailedException(f.message(), ExitCodes.ERROR);
    };
  }

  /** The server's words: its {@code error.message}, else the whole JSON body. */
  private static String message(Reply.ErrorStatus e) {
    JsonNode error = e.json() == null ? null : e.json().get("error");
    if (error == null || !error.isObject()) {
      return e.body();
    }
    JsonNode message = error.path("message");
    return message.isTextual()
        ? message.asText()
        : message.isMissingNode() ? "null" : message.toString();
  }

  private static CommandFailedException notJson(String at, int status) {
    return new CommandFailedException(
        at + " answered " + status + " with a body that is not JSON; check its log",
        ExitCodes.ERROR);
  }
}
