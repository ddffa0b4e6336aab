package dev.helix.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.Headers;
import org.junit.jupiter.api.Test;

class RequestsTest {
  private static Headers headers(String... pairs) {
    Headers headers = new Headers();
    for (int i = 0; i < pairs.length; i += 2) {
      headers.add(pairs[i], pairs[i + 1]);
    }
    return headers;
  }

  @Test
  void aRequestHasABodyWhenItIsChunkedOrDeclaresAnyLengthButZero() {
    assertThat(Requests.hasBody(headers("Content-Length", "12"))).isTrue();
    assertThat(Requests.hasBody(headers("Transfer-Encoding", "chunked"))).isTrue();
    assertThat(Requests.hasBody(headers("Content-Length", "abc")))
        .as("refused later, as a bad length")
        .isTrue();
  }

  @Test
  void aRequestWithoutLengthOrWithLengthZeroHasNone() {
    assertThat(Requests.hasBody(headers())).isFalse();
    assertThat(Requests.hasBody(headers("Content-Length", "0"))).isFalse();
    assertThat(Requests.hasBody(headers("Content-Length", " 0 "))).isFalse();
  }
}
