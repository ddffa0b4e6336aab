package dev.helix.proxy;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Bench access to helix's package-private {@link UpstreamClient}, called the way {@link Relay}
 * calls it: a JSON answer read whole, a stream read piece by piece as it arrives.
 */
public final class HelixUpstreamCalls implements AutoCloseable {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final UpstreamClient client =
      new UpstreamClient(Duration.ofSeconds(10), UpstreamClient.defaultTls(), Clock.systemUTC());

  /** POSTs {@code body} and reads the whole answer; returns the body bytes received. */
  public long post(URI target, List<Map.Entry<String, String>> headers, byte[] body, boolean stream)
      throws IOException {
    try (UpstreamResponse response = client.send("POST", target, headers, body, TIMEOUT)) {
      if (response.status() != 200) {
        throw new IOException("upstream answered " + response.status() + " to " + target);
      }
      if (!stream) {
        return response.readAll(TIMEOUT, Integer.MAX_VALUE).length;
      }
      long received = 0;
      for (byte[] piece = response.next(TIMEOUT); piece != null; piece = response.next(TIMEOUT)) {
        received += piece.length;
      }
      return received;
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
