package dev.helix.bench;

import dev.helix.proxy.HelixUpstreamCalls;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.util.Timeout;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.http.HttpMethod;

/**
 * The HTTP clients {@link UpstreamClientBench} compares, each pooled and set up as its
 * documentation advises, with what a proxy must not do turned off (follow redirects, decode gzip,
 * keep cookies): helix relays the upstream's answer as it came.
 */
final class Callers {
  /**
   * Pooled connections allowed per client: above the bench's 64 callers, so no caller waits for
   * one.
   */
  static final int MAX_CONNECTIONS = 128;

  static final Duration TIMEOUT = Duration.ofSeconds(30);
  static final String TOKEN = "Bearer sk-bench";

  private Callers() {}

  /**
   * One client: POSTs a chat request and reads its whole answer, returning the body bytes received.
   */
  interface Caller extends AutoCloseable {
    long post(byte[] body, boolean stream) throws Exception;

    @Override
    void close() throws Exception;
  }

  static Caller open(String name, URI target) throws Exception {
    return switch (name) {
      case "helix" -> new Helix(target);
      case "apache" -> new Apache(target);
      case "jetty" -> new Jetty(target);
      case "jdk" -> new Jdk(target);
      default ->
          throw new IllegalArgumentException(
              "no client '" + name + "'; use helix, apache, jetty or jdk");
    };
  }

  /** Reads a stream to its end as it arrives, as a relay would; returns the bytes read. */
  static long drain(InputStream in) throws IOException {
    byte[] buffer = new byte[16 * 1024];
    long total = 0;
    for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
      total += n;
    }
    return total;
  }

  private static IOException status(int status, URI target) {
    return new IOException("upstream answered " + status + " to " + target);
  }

  /** helix's own client ({@code proxy/UpstreamClient}), read as {@code proxy/Relay} reads it. */
  private record Helix(URI target, HelixUpstreamCalls calls) implements Caller {
    Helix(URI target) {
      this(target, new HelixUpstreamCalls());
    }

    @Override
    public long post(byte[] body, boolean stream) throws IOException {
      return calls.post(
          target,
          List.of(Map.entry("Content-Type", "application/json"), Map.entry("Authorization", TOKEN)),
          body,
          stream);
    }

    @Override
    public void close() {
      calls.close();
    }
  }

  /**
   * Apache HttpClient 5 classic: blocking I/O, which parks a virtual thread cheaply; a pooling
   * manager.
   */
  private record Apache(URI target, CloseableHttpClient client) implements Caller {
    Apache(URI target) {
      this(target, build());
    }

    private static CloseableHttpClient build() {
      PoolingHttpClientConnectionManager pool =
          PoolingHttpClientConnectionManagerBuilder.create()
              .setMaxConnTotal(MAX_CONNECTIONS)
              .setMaxConnPerRoute(MAX_CONNECTIONS)
              .setDefaultConnectionConfig(
                  ConnectionConfig.custom().setConnectTimeout(Timeout.ofSeconds(10)).build())
              .build();
      return HttpClients.custom()
          .setConnectionManager(pool)
          .disableRedirectHandling()
          .disableContentCompression()
          .disableCookieManagement()
          .setDefaultRequestConfig(
              RequestConfig.custom().setResponseTimeout(Timeout.of(TIMEOUT)).build())
          .build();
    }

    @Override
    public long post(byte[] body, boolean stream) throws IOException {
      HttpPost post = new HttpPost(target);
      post.setHeader("Authorization", TOKEN);
      post.setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_JSON));
      // The handler form reads the answer to its end and gives the connection back to the pool.
      return client.execute(
          post,
          response -> {
            if (response.getCode() != 200) {
              throw status(response.getCode(), target);
            }
            try (InputStream in = response.getEntity().getContent()) {
              return drain(in);
            }
          });
    }

    @Override
    public void close() throws IOException {
      client.close();
    }
  }

  /**
   * Jetty 12's client: asynchronous inside, used through its blocking API from each virtual thread.
   */
  private record Jetty(URI target, org.eclipse.jetty.client.HttpClient client) implements Caller {
    Jetty(URI target) throws Exception {
      this(target, new org.eclipse.jetty.client.HttpClient());
      client.setMaxConnectionsPerDestination(MAX_CONNECTIONS);
      client.setConnectTimeout(10_000);
      client.setFollowRedirects(false);
      client.getContentDecoderFactories().clear();
      client.start();
    }

    @Override
    public long post(byte[] body, boolean stream) throws Exception {
      Request request =
          client
              .newRequest(target)
              .method(HttpMethod.POST)
              .headers(h -> h.put("Authorization", TOKEN))
              .body(new BytesRequestContent("application/json", body));
      if (!stream) {
        ContentResponse response =
            request.timeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).send();
        if (response.getStatus() != 200) {
          throw status(response.getStatus(), target);
        }
        return response.getContent().length;
      }
      // Its documented way to read a body as it arrives.
      InputStreamResponseListener listener = new InputStreamResponseListener();
      request.send(listener);
      Response response = listener.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      try (InputStream in = listener.getInputStream()) {
        if (response.getStatus() != 200) {
          throw status(response.getStatus(), target);
        }
        return drain(in);
      }
    }

    @Override
    public void close() throws Exception {
      client.stop();
    }
  }

  /**
   * The JDK's {@code java.net.http.HttpClient} (HTTP/1.1), which helix used before its own client.
   */
  private record Jdk(URI target, java.net.http.HttpClient client) implements Caller {
    Jdk(URI target) {
      this(
          target,
          java.net.http.HttpClient.newBuilder()
              .version(java.net.http.HttpClient.Version.HTTP_1_1)
              .connectTimeout(Duration.ofSeconds(10))
              .build());
    }

    @Override
    public long post(byte[] body, boolean stream) throws Exception {
      java.net.http.HttpRequest request =
          java.net.http.HttpRequest.newBuilder(target)
              .timeout(TIMEOUT)
              .header("Content-Type", "application/json")
              .header("Authorization", TOKEN)
              .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body))
              .build();
      if (!stream) {
        java.net.http.HttpResponse<byte[]> response =
            client.send(request, java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
          throw status(response.statusCode(), target);
        }
        return response.body().length;
      }
      java.net.http.HttpResponse<InputStream> response =
          client.send(request, java.net.http.HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = response.body()) {
        if (response.statusCode() != 200) {
          throw status(response.statusCode(), target);
        }
        return drain(in);
      }
    }

    @Override
    public void close() {
      client.close();
    }
  }
}
