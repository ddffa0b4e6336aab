package dev.helix.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * One request of a {@link LocalClient}, run on a virtual thread of its own so that the caller's
 * wait bounds the whole exchange: HttpURLConnection's read timeout applies to each read, so a body
 * that trickles in would otherwise outlast it.
 */
final class Exchange {
  private final Daemon daemon;
  private final ObjectMapper json;
  private final String method;
  private final URI uri;
  private final Map<String, String> headers;
  private final byte @Nullable [] body;
  private final Duration connectTimeout;
  private final Duration timeout;

  /** Completed by the exchange itself, or with a TimeoutException at the deadline. */
  private final CompletableFuture<Reply> raw = new CompletableFuture<>();

  private final CompletableFuture<Reply> reply;

  private volatile @Nullable HttpURLConnection connection;
  private volatile boolean connected;
  private volatile boolean aborted;

  Exchange(
      Daemon daemon,
      ObjectMapper json,
      String method,
      URI uri,
      Map<String, String> headers,
      byte @Nullable [] body,
      Duration connectTimeout,
      Duration timeout) {
    this.daemon = daemon;
    this.json = json;
    this.method = method;
    this.uri = uri;
    this.headers = headers;
    this.body = body;
    this.connectTimeout = connectTimeout;
    this.timeout = timeout;
    this.reply =
        raw.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).exceptionally(this::lateOrBroken);
  }

  String url() {
    return uri.toString();
  }

  /**
   * The reply; completes by the timeout at the latest, and never exceptionally for an I/O failure.
   */
  CompletableFuture<Reply> reply() {
    return reply;
  }

  void start() {
    Thread.ofVirtual()
        .name("helix-call")
        .start(
            () -> {
              try {
                raw.complete(run());
              } catch (RuntimeException | Error e) {
                raw.completeExceptionally(e);
              }
            });
  }

  /**
   * Closes the connection, which ends a read or write under way, without waiting: disconnect()
   * waits for the lock that the reading thread holds while it reads the headers, and the caller (or
   * CompletableFuture's one timer thread) must not wait with it.
   */
  void abort() {
    aborted = true;
    HttpURLConnection c = connection;
    if (c != null) {
      Thread.ofVirtual().name("helix-call-abort").start(c::disconnect);
    }
  }

  private Reply lateOrBroken(Throwable e) {
    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    if (cause instanceof TimeoutException) {
      abort();
      return new Reply.TimedOut(daemon, url(), !connected, timeout);
    }
    // A bug in the exchange, not an I/O failure: kept whole for the caller's stack trace.
    throw cause instanceof RuntimeException r
        ? r
        : new IllegalStateException("the call to " + url() + " failed", cause);
  }

  private Reply run() {
    HttpURLConnection c;
    try {
      c = (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
      connection = c;
      c.setConnectTimeout(millis(connectTimeout));
      c.setReadTimeout(millis(timeout));
      // Redirects never followed: a local daemon that redirects is not helix's.
      c.setInstanceFollowRedirects(false);
      c.setUseCaches(false);
      c.setRequestMethod(method);
      c.setRequestProperty("Accept", "application/json");
      headers.forEach(c::setRequestProperty);
      // Without a body, no output at all: HttpURLConnection would type an empty one as a form,
      // which the daemons' local guard refuses with 415.
      if (body != null) {
        c.setRequestProperty("Content-Type", "application/json");
        c.setDoOutput(true);
        // A fixed length also keeps HttpURLConnection from silently sending a POST twice.
        c.setFixedLengthStreamingMode(body.length);
      }
    } catch (IOException e) {
      return broke(0, e);
    }
    try {
      if (aborted) {
        return new Reply.TimedOut(daemon, url(), true, timeout);
      }
      c.connect();
      connected = true;
    } catch (SocketTimeoutException e) {
      return new Reply.TimedOut(daemon, url(), true, connectTimeout);
    } catch (ConnectException e) {
      return new Reply.Refused(daemon, url());
    } catch (IOException e) {
      return broke(0, e);
    }
    int status = 0;
    try {
      if (body != null) {
        try (OutputStream out = c.getOutputStream()) {
          out.write(body);
        }
      }
      status = c.getResponseCode();
      InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
      String text = "";
      if (in != null) {
        try (in) {
          text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
      }
      return classify(status, text);
    } catch (SocketTimeoutException e) {
      return new Reply.TimedOut(daemon, url(), false, timeout);
    } catch (IOException e) {
      return broke(status, e);
    } finally {
      // No keep-alive: a loopback connect costs well under a millisecond, and a pooled connection
      // that the daemon has closed meanwhile is a failure this client would have to retry.
      c.disconnect();
    }
  }

  private Reply classify(int status, String text) {
    JsonNode node = parse(text);
    if (status / 100 != 2) {
      return new Reply.ErrorStatus(daemon, url(), status, text, node);
    }
    if (text.isBlank()) {
      return new Reply.BadAnswer(daemon, url(), status, text, "an empty body");
    }
    if (node == null) {
      return new Reply.BadAnswer(daemon, url(), status, text, "a body that is not JSON");
    }
    return new Reply.Ok(url(), status, text, node);
  }

  private @Nullable JsonNode parse(String text) {
    if (text.isBlank()) {
      return null;
    }
    try {
      JsonNode node = json.readTree(text);
      return node == null || node.isMissingNode() ? null : node;
    } catch (IOException e) {
      return null;
    }
  }

  private Reply broke(int status, IOException e) {
    // HttpURLConnection often wraps the useful cause ("Connection reset") a level down.
    Throwable t = e;
    while (t.getCause() != null && (t.getMessage() == null || t.getMessage().isBlank())) {
      t = t.getCause();
    }
    String message = t.getMessage();
    String why =
        t.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    return new Reply.BadAnswer(daemon, url(), status, "", aborted ? "the call was cancelled" : why);
  }

  private static int millis(Duration d) {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
  }
}
