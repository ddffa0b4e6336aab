package dev.helix.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import dev.helix.http.JsonResponses;
import dev.helix.text.Cut;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one upstream answer back to the client, in the way its kind needs: an error keeps its
 * status (its JSON error passes unchanged, anything else is wrapped); an event stream is relayed
 * piece by piece, flushed as it arrives, and ends with one error event if the upstream fails; a
 * chat reply is read whole first, so a failure before its end is still a proper 502/504.
 */
final class Relay {
  /** Enough of an error body to keep every real API error whole, small enough to never hurt. */
  private static final int MAX_ERROR_BODY = 1 << 20;

  /** How much of a non-JSON error body the wrapped message quotes. */
  private static final int QUOTED_CHARS = 300;

  private static final Logger log = LoggerFactory.getLogger(Relay.class);

  /**
   * What relaying needs from the proxy, fixed for its life: the upstream and the real one behind
   * Headroom (for messages that name the failing hop), the timeout, who counts failures, and how
   * JSON is written.
   */
  record Setup(
      UpstreamUrl upstream,
      @Nullable String realUpstream,
      Duration timeout,
      ChatProxy.Listener listener,
      JsonResponses json,
      ObjectMapper mapper) {
    /** Why calling {@code target} failed before its answer was complete. */
    UpstreamFailure failure(IOException e, URI target) {
      return UpstreamFailure.of(e, upstream, target, realUpstream, timeout);
    }

    /** Why a stream from {@code target} stopped in the middle. */
    UpstreamFailure midStream(IOException e, URI target) {
      return UpstreamFailure.midStream(e, upstream, target, realUpstream, timeout);
    }

    /** Counts and logs a failure. */
    void report(UpstreamFailure failure) {
      listener.upstreamFailed(failure.kind());
      log.warn("{}", failure.message());
    }

    /** Counts, logs and answers a failure in OpenAI's error shape. */
    void fail(HttpExchange exchange, UpstreamFailure failure) throws IOException {
      report(failure);
      json.sendError(
          exchange, failure.status(), failure.message(), "server_error", null, failure.code());
    }
  }

  private final HttpExchange exchange;
  private final UpstreamResponse response;
  private final URI target;
  private final Setup setup;

  Relay(HttpExchange exchange, UpstreamResponse response, URI target, Setup setup) {
    this.exchange = exchange;
    this.response = response;
    this.target = target;
    this.setup = setup;
    HeaderRules.relayResponse(response.headers(), exchange.getResponseHeaders()::add);
  }

  boolean isEventStream() {
    List<String> types = response.headers().get("Content-Type");
    return types != null
        && !types.isEmpty()
        && types.getFirst().toLowerCase(Locale.ROOT).startsWith("text/event-stream");
  }

  /**
   * An upstream 4xx/5xx: same status; a JSON {@code error} object unchanged, anything else wrapped.
   */
  void error() throws IOException {
    int status = response.status();
    byte[] bytes;
    try {
      bytes = response.readAll(setup.timeout(), MAX_ERROR_BODY);
    } catch (IOException e) {
      setup.fail(exchange, setup.failure(e, target));
      return;
    }
    response.close(); // the connection goes back to the pool before the client is answered
    if (hasErrorObject(bytes)) {
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      send(status, bytes);
      return;
    }
    String text = new String(bytes, StandardCharsets.UTF_8).strip();
    if (text.length() > QUOTED_CHARS) {
      text = Cut.head(text, QUOTED_CHARS) + "...";
    }
    String real = setup.realUpstream();
    String message =
        (real == null ? "upstream " : "Headroom (in front of " + UpstreamUrl.redact(real) + ") at ")
            + UpstreamUrl.redact(target.toString())
            + " answered "
            + status
            + (text.isEmpty() ? " with an empty body" : ": " + text);
    setup.json().sendError(exchange, status, message, errorType(status), null, "upstream_error");
  }

  /** Server-sent events: each piece written and flushed as it arrives, never held back. */
  void events() throws IOException {
    exchange.sendResponseHeaders(response.status(), 0);
    OutputStream out = exchange.getResponseBody();
    byte[] tail = {'\n', '\n'};
    while (true) {
      byte[] piece;
      try {
        piece = response.next(setup.timeout());
      } catch (IOException e) {
        UpstreamFailure failure = setup.midStream(e, target);
        setup.report(failure);
        endWithError(out, tail, failure);
        return;
      }
      if (piece == null) {
        response.close();
        out.close();
        return;
      }
      try {
        out.write(piece);
        out.flush();
      } catch (IOException clientGone) {
        // The client disconnected: stop the upstream's work now rather than at the end of its
        // answer.
        response.cancel();
        log.debug(
            "client went away during a stream; upstream call cancelled ({})",
            clientGone.toString());
        throw clientGone;
      }
      if (piece.length >= 2) {
        tail = new byte[] {piece[piece.length - 2], piece[piece.length - 1]};
      } else if (piece.length == 1) {
        tail = new byte[] {tail[1], piece[0]};
      }
    }
  }

  /**
   * A whole reply, read before anything is sent; null when the upstream failed (already answered).
   */
  byte @Nullable [] buffered() throws IOException {
    byte[] bytes;
    try {
      bytes = response.readAll(setup.timeout(), Integer.MAX_VALUE);
    } catch (IOException e) {
      setup.fail(exchange, setup.failure(e, target));
      return null;
    }
    response.close(); // the connection goes back to the pool before the client is answered
    send(response.status(), bytes);
    return bytes;
  }

  /** Any other answer, relayed as it arrives with the upstream's length when it gave one. */
  void plain() throws IOException {
    int status = response.status();
    long length = response.contentLength();
    boolean noBody =
        exchange.getRequestMethod().equals("HEAD") || status == 204 || status == 304 || length == 0;
    exchange.sendResponseHeaders(status, noBody ? -1 : Math.max(length, 0));
    if (noBody) {
      response.cancel();
      return;
    }
    OutputStream out = exchange.getResponseBody();
    try {
      for (byte[] piece = response.next(setup.timeout());
          piece != null;
          piece = response.next(setup.timeout())) {
        out.write(piece);
        out.flush();
      }
      response.close();
    } catch (IOException e) {
      response.cancel();
      // Headers are gone: closing the connection short is the only signal left.
      log.warn("relaying {} stopped: {}", UpstreamUrl.redact(target.toString()), e.toString());
      throw e;
    }
    out.close();
  }

  private void endWithError(OutputStream out, byte[] tail, UpstreamFailure failure)
      throws IOException {
    StringBuilder event = new StringBuilder();
    if (tail[0] != '\n' || tail[1] != '\n') {
      event.append("\n\n"); // finish the event the upstream left half-written
    }
    event
        .append("data: ")
        .append(
            setup
                .mapper()
                .writeValueAsString(
                    JsonResponses.error(failure.message(), "server_error", null, failure.code())))
        .append("\n\n");
    out.write(event.toString().getBytes(StandardCharsets.UTF_8));
    out.close();
  }

  private void send(int status, byte[] bytes) throws IOException {
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private boolean hasErrorObject(byte[] bytes) {
    try {
      JsonNode root = setup.mapper().readTree(bytes);
      return root != null && root.path("error").isObject();
    } catch (IOException e) {
      return false;
    }
  }

  private static String errorType(int status) {
    return switch (status) {
      case 401 -> "authentication_error";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 429 -> "rate_limit_error";
      default -> status >= 500 ? "server_error" : "invalid_request_error";
    };
  }
}
