package dev.helix.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * The one HTTP client for helix's own daemons on this machine (the server, the launcher, Headroom's
 * local surface): JSON in and out through the mapper it is given, an optional bearer token, a
 * connect timeout, and a per-call timeout that bounds the whole exchange, body included. Every
 * outcome is a {@link Reply}; nothing is thrown for a network failure.
 *
 * <p>Plain {@link java.net.HttpURLConnection} underneath, not the JDK's {@code HttpClient}: on this
 * project's two-core machines a fresh JVM spends about 900 ms of CPU on the first HttpClient call
 * (its default TLS context alone about 400 ms) against about 60 ms for HttpURLConnection, and about
 * 450 ms against 40 ms even with the AOT cache (measured with JDK 25, a loopback GET, best of
 * three). The launcher spends that while the server child boots on the same cores, and every CLI
 * command that asks the server pays it before its answer. The daemons speak plain HTTP on this
 * machine (an https:// address, such as HELIX_MCP_URL may give, works and pays for TLS only then),
 * so nothing here needs HTTP/2 or a connection pool.
 *
 * <p>Immutable: {@link #withBearer} and {@link #withHeader} give a new client, so one made at
 * start-up can be shared by any number of threads.
 */
public final class LocalClient {
  /**
   * HttpURLConnection's restricted headers (sun.net.www.protocol.http.HttpURLConnection, JDK 21 to
   * 25).
   */
  private static final Set<String> DROPPED_HEADERS =
      Set.of(
          "access-control-request-headers",
          "access-control-request-method",
          "connection",
          "content-length",
          "content-transfer-encoding",
          "host",
          "keep-alive",
          "origin",
          "trailer",
          "transfer-encoding",
          "upgrade",
          "via");

  private final Daemon daemon;
  private final ObjectMapper json;
  private final Duration connectTimeout;
  private final Map<String, String> headers;

  /**
   * @param daemon the daemon called, as failure messages name it
   * @param json reads answers and writes request bodies
   * @param connectTimeout how long a connection may take to be accepted; each call's own timeout
   *     caps it too
   */
  public LocalClient(Daemon daemon, ObjectMapper json, Duration connectTimeout) {
    this(daemon, json, connectTimeout, Map.of());
  }

  private LocalClient(
      Daemon daemon, ObjectMapper json, Duration connectTimeout, Map<String, String> headers) {
    if (connectTimeout.isNegative() || connectTimeout.isZero()) {
      throw new IllegalArgumentException(
          "the connect timeout for the "
              + daemon.name()
              + " must be positive, got "
              + connectTimeout);
    }
    this.daemon = daemon;
    this.json = json;
    this.connectTimeout = connectTimeout;
    this.headers = Map.copyOf(headers);
  }

  /**
   * This client sending {@code Authorization: Bearer token}; this client itself when there is no
   * token.
   */
  public LocalClient withBearer(@Nullable String token) {
    return token == null || token.isEmpty() ? this : withHeader("Authorization", "Bearer " + token);
  }

  /**
   * This client sending one more header on every call (the launcher's session header). Headers that
   * HttpURLConnection would drop without a word (Host, Origin, Connection, {@code Sec-*} and the
   * like) are refused here instead.
   */
  public LocalClient withHeader(String name, String value) {
    String lower = name.toLowerCase(Locale.ROOT);
    if (DROPPED_HEADERS.contains(lower) || lower.startsWith("sec-")) {
      throw new IllegalArgumentException(
          "the header '"
              + name
              + "' cannot be sent to the "
              + daemon.name()
              + ": HttpURLConnection drops it unless the whole JVM allows restricted headers");
    }
    Map<String, String> more = new LinkedHashMap<>(headers);
    more.put(name, value);
    return new LocalClient(daemon, json, connectTimeout, more);
  }

  /** Which daemon this client calls. */
  public Daemon daemon() {
    return daemon;
  }

  /** GETs {@code url}, waiting at most {@code timeout} for the whole answer. */
  public Reply get(String url, Duration timeout) throws InterruptedException {
    return await(start("GET", url, null, timeout));
  }

  /**
   * POSTs {@code body} as JSON (a {@link com.fasterxml.jackson.databind.util.RawValue} for text
   * that already is JSON), or an empty body without a content type when it is null.
   */
  public Reply post(String url, @Nullable Object body, Duration timeout)
      throws InterruptedException {
    return await(start("POST", url, body, timeout));
  }

  /** DELETEs {@code url}. */
  public Reply delete(String url, Duration timeout) throws InterruptedException {
    return await(start("DELETE", url, null, timeout));
  }

  /**
   * A GET that does not block: for asking several daemons at once. The future completes by the
   * timeout at the latest, and never fails for an I/O failure.
   */
  public CompletableFuture<Reply> getAsync(String url, Duration timeout) {
    return start("GET", url, null, timeout).reply();
  }

  /**
   * A POST that does not block, as {@link #getAsync}; an interrupt of the caller does not cut it
   * short.
   */
  public CompletableFuture<Reply> postAsync(String url, @Nullable Object body, Duration timeout) {
    return start("POST", url, body, timeout).reply();
  }

  private Exchange start(String method, String url, @Nullable Object body, Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException(
          "the timeout for " + method + " " + url + " must be positive, got " + timeout);
    }
    URI uri = URI.create(url);
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
      throw new IllegalArgumentException(
          "'"
              + url
              + "' is not an http(s):// URL with a host; give the "
              + daemon.name()
              + "'s address as http://HOST:PORT");
    }
    byte[] bytes = null;
    if (body != null) {
      try {
        bytes = json.writeValueAsBytes(body);
      } catch (JsonProcessingException e) {
        // The bodies are maps and trees that came from JSON or from helix itself: a failure is a
        // bug.
        throw new IllegalArgumentException(
            "could not write the body of "
                + method
                + " "
                + url
                + " as JSON: "
                + e.getOriginalMessage(),
            e);
      }
    }
    Exchange exchange =
        new Exchange(
            daemon,
            json,
            method,
            uri,
            headers,
            bytes,
            connectTimeout.compareTo(timeout) < 0 ? connectTimeout : timeout,
            timeout);
    exchange.start();
    return exchange;
  }

  private static Reply await(Exchange exchange) throws InterruptedException {
    try {
      return exchange.reply().get();
    } catch (InterruptedException e) {
      exchange.abort();
      throw e;
    } catch (ExecutionException e) {
      // The exchange turns every I/O failure into a Reply: what arrives here is a bug, kept whole.
      throw new IllegalStateException(
          "the call to " + exchange.url() + " failed unexpectedly", e.getCause());
    }
  }
}
