package dev.helix.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.jspecify.annotations.Nullable;

/**
 * The OpenSearch REST API over the JDK's HttpClient and helix's Jackson: a handful of calls (bulk,
 * search, get, refresh, index creation) do not need a client library, and OpenSearch's own pins a
 * Lucene other than helix's. Every error names the cluster URL and what to do; 429 and 503 (a busy
 * cluster) are retried with a growing back-off.
 */
final class OpenSearchHttp {
  /**
   * A call answered with this status: the caller decides (404 on a missing document, 400 on an
   * existing index).
   */
  record Answer(int status, JsonNode body) {}

  /**
   * Tries per call on 429 or 503: with back-off doubling from {@link #firstBackoff}, 6 tries wait
   * 3.1 s in all at the default 100 ms, about what a cluster needs to drain a full write queue.
   */
  private static final int TRIES = 6;

  /**
   * Connecting to a cluster on a reachable network takes milliseconds; 5 s fails fast on a dead
   * one.
   */
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  /** A bulk of a few MB or a search answers within seconds; a minute means the cluster is stuck. */
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

  private final List<URI> urls;
  private final @Nullable String authorization;
  private final HttpClient client;
  private final ObjectMapper json;
  private final Duration firstBackoff;

  /** The URL that answered last: calls go there first. */
  private volatile int current;

  OpenSearchHttp(
      List<URI> urls,
      @Nullable String authorization,
      boolean tlsVerify,
      ObjectMapper json,
      Duration firstBackoff) {
    if (urls.isEmpty()) {
      throw new IllegalArgumentException(
          "[store.opensearch] urls is empty; give the cluster's URL, e.g. [\"http://localhost:9200\"]");
    }
    this.urls = List.copyOf(urls);
    this.authorization = authorization;
    this.json = json;
    this.firstBackoff = firstBackoff;
    HttpClient.Builder b =
        HttpClient.newBuilder()
            .connectTimeout(CONNECT_TIMEOUT)
            .version(HttpClient.Version.HTTP_1_1);
    if (!tlsVerify) {
      b.sslContext(trustingEveryone());
    }
    this.client = b.build();
  }

  /** The {@code Authorization} header for basic credentials or an API key; null for none. */
  static @Nullable String authorization(
      @Nullable String username, @Nullable String password, @Nullable String apiKey) {
    if (apiKey != null) {
      return "ApiKey " + apiKey;
    }
    if (username != null) {
      String pair = username + ":" + (password == null ? "" : password);
      return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }
    return null;
  }

  /** The cluster's URL as errors name it: the one tried last. */
  String url() {
    return urls.get(current).toString();
  }

  /** A call that must succeed (2xx). */
  JsonNode call(String method, String path, @Nullable Object body) throws IOException {
    Answer a =
        answer(
            method, path, body == null ? null : json.writeValueAsBytes(body), "application/json");
    return requireOk(method, path, a);
  }

  /** A bulk call: {@code ndjson} is its newline-delimited body. */
  JsonNode bulk(String path, byte[] ndjson) throws IOException {
    return requireOk("POST", path, answer("POST", path, ndjson, "application/x-ndjson"));
  }

  JsonNode requireOk(String method, String path, Answer a) throws IOException {
    if (a.status() / 100 != 2) {
      throw failure(method, path, a);
    }
    return a.body();
  }

  /** The error of a refused call: the cluster, the call, its status and OpenSearch's reason. */
  IOException failure(String method, String path, Answer a) {
    JsonNode error = a.body().path("error");
    String reason =
        error.isTextual()
            ? error.asText()
            : error
                .path("root_cause")
                .path(0)
                .path("reason")
                .asText(error.path("reason").asText(a.body().toString()));
    String hint =
        a.status() == 401 || a.status() == 403
            ? "; check [store.opensearch] username and HELIX_OPENSEARCH_PASSWORD, or HELIX_OPENSEARCH_API_KEY"
            : "; see the cluster's log";
    String message =
        "the OpenSearch cluster at "
            + url()
            + " refused "
            + method
            + " "
            + path
            + " with "
            + a.status()
            + " ("
            + reason
            + ")"
            + hint;
    // Credentials refused, or a cluster still busy or failing after the retries: the cluster's
    // state, not the request's; anything else is a request OpenSearch could not take.
    if (a.status() == 401 || a.status() == 403 || a.status() >= 500) {
      return new StoreUnavailableException(url(), message);
    }
    return new IOException(message);
  }

  /**
   * A call whose status the caller reads; 429 and 503 are retried, an unreachable URL tries the
   * next.
   */
  Answer answer(String method, String path, byte @Nullable [] body, String contentType)
      throws IOException {
    StoreUnavailableException unreachable = null;
    for (int u = 0; u < urls.size(); u++) {
      int at = (current + u) % urls.size();
      try {
        Answer a = withBackoff(urls.get(at), method, path, body, contentType);
        current = at;
        return a;
      } catch (ConnectException | HttpConnectTimeoutException e) {
        unreachable =
            new StoreUnavailableException(
                urls.get(at).toString(),
                "the OpenSearch cluster at "
                    + urls.get(at)
                    + " is unreachable ("
                    + describe(e)
                    + "); check [store.opensearch] urls and that the cluster runs",
                e);
      }
    }
    throw java.util.Objects.requireNonNull(unreachable);
  }

  private Answer withBackoff(
      URI base, String method, String path, byte @Nullable [] body, String contentType)
      throws IOException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(REQUEST_TIMEOUT)
            .header("Content-Type", contentType)
            .header("Accept", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    HttpRequest request = b.build();
    Duration wait = firstBackoff;
    for (int attempt = 1; ; attempt++) {
      HttpResponse<byte[]> r;
      try {
        r = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
      } catch (HttpTimeoutException e) {
        if (e instanceof HttpConnectTimeoutException c) {
          throw c;
        }
        throw new IOException(
            "the OpenSearch cluster at "
                + base
                + " did not answer "
                + method
                + " "
                + path
                + " within "
                + REQUEST_TIMEOUT.toSeconds()
                + " s; check the cluster's health",
            e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while calling the OpenSearch cluster at " + base, e);
      }
      boolean busy = r.statusCode() == 429 || r.statusCode() == 503;
      if (!busy || attempt == TRIES) {
        return new Answer(r.statusCode(), parse(r.body()));
      }
      sleep(wait);
      wait = wait.multipliedBy(2);
    }
  }

  /** Sleeps through a back-off; an interrupt ends the call. */
  void sleep(Duration wait) throws IOException {
    try {
      Thread.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(
          "interrupted while waiting to retry a call to the OpenSearch cluster at " + url(), e);
    }
  }

  Duration firstBackoff() {
    return firstBackoff;
  }

  int tries() {
    return TRIES;
  }

  private JsonNode parse(byte[] body) {
    if (body.length == 0) {
      return json.createObjectNode();
    }
    try {
      return json.readTree(body);
    } catch (IOException e) {
      // A proxy's HTML error page, say: keep its start as the reason.
      return json.createObjectNode()
          .put("error", new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8));
    }
  }

  private static String describe(Exception e) {
    return e.getMessage() == null || e.getMessage().isBlank()
        ? e.getClass().getSimpleName()
        : e.getMessage();
  }

  /**
   * Trusts any certificate and host name: {@code tls_verify = false}, for a cluster with a
   * self-signed certificate. The endpoint check lives in the JDK's own trust manager, so this one,
   * by checking nothing, skips it too.
   */
  private static SSLContext trustingEveryone() {
    TrustManager none =
        new X509ExtendedTrustManager() {
          @Override
          public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

          @Override
          public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

          @Override
          public void checkClientTrusted(
              X509Certificate[] chain, String authType, SSLEngine engine) {}

          @Override
          public void checkServerTrusted(
              X509Certificate[] chain, String authType, SSLEngine engine) {}

          @Override
          public void checkClientTrusted(X509Certificate[] chain, String authType) {}

          @Override
          public void checkServerTrusted(X509Certificate[] chain, String authType) {}

          @Override
          public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
          }
        };
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {none}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM offers no TLS context: " + e.getMessage(), e);
    }
  }
}
