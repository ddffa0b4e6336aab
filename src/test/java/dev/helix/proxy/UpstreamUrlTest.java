package dev.helix.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class UpstreamUrlTest {
  @Test
  void bareHostGetsV1Added() {
    assertThat(UpstreamUrl.parse("http://localhost:11434").resolve("/v1/chat/completions", null))
        .hasToString("http://localhost:11434/v1/chat/completions");
    assertThat(UpstreamUrl.parse("http://localhost:11434/").resolve("/v1/chat/completions", null))
        .hasToString("http://localhost:11434/v1/chat/completions");
  }

  @Test
  void baseEndingInV1IsNeverDoubled() {
    assertThat(UpstreamUrl.parse("https://api.openai.com/v1").resolve("/v1/chat/completions", null))
        .hasToString("https://api.openai.com/v1/chat/completions");
    assertThat(UpstreamUrl.parse("https://api.openai.com/v1/").resolve("/v1/models", null))
        .hasToString("https://api.openai.com/v1/models");
  }

  @Test
  void otherApiBasePathIsKeptAsGiven() {
    assertThat(
            UpstreamUrl.parse("https://host/v1beta/openai").resolve("/v1/chat/completions", null))
        .hasToString("https://host/v1beta/openai/chat/completions");
  }

  @Test
  void queryStringIsPassedOn() {
    assertThat(UpstreamUrl.parse("http://127.0.0.1:9").resolve("/v1/models", "limit=2&after=x%20y"))
        .hasToString("http://127.0.0.1:9/v1/models?limit=2&after=x%20y");
  }

  @Test
  void credentialsInTheUrlNeverReachMessages() {
    UpstreamUrl url = UpstreamUrl.parse("https://user:s3cret@host.example/v1?key=s3cret");
    assertThat(url.display()).isEqualTo("https://host.example/v1").doesNotContain("s3cret");
    assertThat(url.hostAndPort()).isEqualTo("host.example:443");
  }

  @Test
  void nonHttpUpstreamIsRefusedWithAnExample() {
    assertThatThrownBy(() -> UpstreamUrl.parse("ftp://host/v1"))
        .hasMessageContaining("ftp://host/v1")
        .hasMessageContaining("http://localhost:11434");
    assertThatThrownBy(() -> UpstreamUrl.parse("localhost:11434"))
        .hasMessageContaining("[server] upstream");
  }
}
