package dev.helix.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.helix.config.OpenSearchConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How the OpenSearch store talks to a cluster that is away, refuses or is busy: a stand-in on
 * loopback.
 */
class OpenSearchHttpTest {
  /** Statuses the stand-in answers with, in order; the last one repeats. */
  private final Queue<Integer> statuses = new ConcurrentLinkedQueue<>();

  private final Queue<String> authorizations = new ConcurrentLinkedQueue<>();
  private int last = 200;
  private HttpServer server;

  private URI standIn() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String auth = exchange.getRequestHeaders().getFirst("Authorization");
          authorizations.add(auth == null ? "none" : auth);
          Integer next = statuses.poll();
          int status = next == null ? last : next;
          last = status;
          byte[] body =
              (status == 200
                      ? "{\"ok\":true}"
                      : "{\"error\":{\"root_cause\":[{\"reason\":\"stand-in says "
                          + status
                          + "\"}]},\"status\":"
                          + status
                          + "}")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(status, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private static OpenSearchHttp client(URI url, String authorization) {
    return new OpenSearchHttp(
        List.of(url), authorization, true, new ObjectMapper(), Duration.ofMillis(1));
  }

  @Test
  void anUnreachableClusterIsAnErrorNamingItsUrl() throws Exception {
    String url = "http://127.0.0.1:" + dev.helix.testing.ChildJvm.freePort();
    OpenSearchConfig config =
        new OpenSearchConfig(List.of(url), "helix", null, null, null, true, "me@here");

    assertThatThrownBy(() -> Store.openOpenSearch(config))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("the OpenSearch cluster at " + url + "/ is unreachable")
        .hasMessageContaining("check [store.opensearch] urls");
  }

  @Test
  void aRefusingClusterIsAnErrorNamingItsUrlTheStatusAndTheCredentials() throws Exception {
    URI url = standIn();
    statuses.add(401);
    OpenSearchConfig config =
        new OpenSearchConfig(List.of(url.toString()), "helix", "ada", "pw", null, true, "me@here");

    assertThatThrownBy(() -> Store.openOpenSearch(config))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining(
            "the OpenSearch cluster at "
                + url
                + " refused GET /helix/_mapping with 401 (stand-in says 401)")
        .hasMessageContaining("HELIX_OPENSEARCH_PASSWORD");
    assertThat(authorizations.peek())
        .isEqualTo("Basic " + java.util.Base64.getEncoder().encodeToString("ada:pw".getBytes()));
  }

  @Test
  void aBusyClusterIsAskedAgainAfterABackOff() throws Exception {
    URI url = standIn();
    statuses.addAll(List.of(429, 503, 200));

    assertThat(client(url, "ApiKey k").call("GET", "/_cluster/health", null).path("ok").asBoolean())
        .isTrue();
    assertThat(authorizations).containsExactly("ApiKey k", "ApiKey k", "ApiKey k");
  }

  @Test
  void aClusterThatStaysBusyFailsAfterItsTriesNamingItsUrl() throws Exception {
    URI url = standIn();
    statuses.add(503);

    assertThatThrownBy(() -> client(url, null).call("POST", "/helix/_search", null))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining(
            "the OpenSearch cluster at " + url + " refused POST /helix/_search with 503");
    assertThat(authorizations).hasSize(6);
  }

  @Test
  void theNextUrlIsTriedWhenOneIsUnreachable() throws Exception {
    URI good = standIn();
    URI dead = URI.create("http://127.0.0.1:" + dev.helix.testing.ChildJvm.freePort() + "/");
    OpenSearchHttp http =
        new OpenSearchHttp(
            List.of(dead, good), null, true, new ObjectMapper(), Duration.ofMillis(1));

    assertThat(http.call("GET", "/", null).path("ok").asBoolean()).isTrue();
    assertThat(http.url()).isEqualTo(good.toString());
  }
}
