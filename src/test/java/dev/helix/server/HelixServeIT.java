package dev.helix.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.errors.InternalServerException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.helix.testing.HelixServeProcess;
import dev.helix.testing.StandIn;
import dev.helix.testing.StandIn.Script;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official OpenAI Java client, through a real {@code helix serve} child, to a stand-in
 * upstream.
 */
@Timeout(120)
class HelixServeIT {
  private static final ChatCompletionCreateParams PARAMS =
      ChatCompletionCreateParams.builder()
          .model("stand-in")
          .addSystemMessage("be brief")
          .addUserMessage("hi")
          .addAssistantMessage("hello")
          .addUserMessage("what does Foo.bar return?")
          .build();

  private static StandIn upstream;
  private static HelixServeProcess helix;
  private static OpenAIClient client;

  @BeforeAll
  static void start(@TempDir Path home) throws Exception {
    upstream = StandIn.start();
    helix =
        HelixServeProcess.start(
            home, "upstream = \"" + upstream.url() + "\"\nupstream_timeout = 2\n", Map.of());
    client = openai(helix.url(), Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    helix.close();
    upstream.close();
  }

  static OpenAIClient openai(String helixUrl, Map<String, String> headers) {
    OpenAIOkHttpClient.Builder builder =
        OpenAIOkHttpClient.builder().baseUrl(helixUrl + "/v1").apiKey("sk-user-key").maxRetries(0);
    headers.forEach(builder::putHeader);
    return builder.build();
  }

  @Test
  void plainChatReachesTheUpstreamWithHistoryAndAuthorizationAndNoMatchAddsNothing() {
    try (HttpResponseFor<ChatCompletion> response =
        client.chat().completions().withRawResponse().create(PARAMS)) {
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().values("X-Helix-Context")).containsExactly("miss");
      assertThat(response.headers().values("X-Helix-Chunks")).containsExactly("0");
      assertThat(response.parse().choices().getFirst().message().content())
          .contains("Hello from the stand-in.");
      StandIn.Recorded sent = upstream.takeRequest();
      assertThat(sent.path()).isEqualTo("/v1/chat/completions");
      assertThat(sent.header("Authorization")).isEqualTo("Bearer sk-user-key");
      JsonNode messages = sent.bodyJson().get("messages");
      assertThat(messages).hasSize(4);
      assertThat(messages.get(0).get("content").asText()).isEqualTo("be brief");
      assertThat(messages.get(2).get("content").asText()).isEqualTo("hello");
      assertThat(sent.body()).doesNotContain("helix-context");
    }
  }

  @Test
  void streamingChatArrivesEventByEvent() {
    String chunk =
        "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"stand-in\","
            + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"%s\"},\"finish_reason\":null}]}";
    upstream.enqueue(
        Script.events(List.of(chunk.formatted("one"), chunk.formatted("two"), "data: [DONE]"))
            .gateBefore(1, "it-second"));
    try (StreamResponse<ChatCompletionChunk> stream =
        client.chat().completions().createStreaming(PARAMS)) {
      Iterator<ChatCompletionChunk> chunks = stream.stream().iterator();
      // "two" is only sent after the gate opens, so receiving "one" first proves nothing was
      // buffered.
      assertThat(chunks.next().choices().getFirst().delta().content()).contains("one");
      upstream.openGate("it-second");
      assertThat(chunks.next().choices().getFirst().delta().content()).contains("two");
      assertThat(chunks.hasNext()).isFalse();
    }
    assertThat(upstream.takeRequest().bodyJson().get("stream").asBoolean()).isTrue();
  }

  @Test
  void upstreamErrorsReachTheClientWithTheirStatusAndBody() {
    upstream.enqueue(
        Script.body(
            401,
            "application/json",
            "{\"error\":{\"message\":\"Incorrect API key provided\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_api_key\"}}"));
    assertThatThrownBy(() -> client.chat().completions().create(PARAMS))
        .isInstanceOf(UnauthorizedException.class)
        .satisfies(
            e -> assertThat(((OpenAIServiceException) e).code()).contains("invalid_api_key"));
    upstream.enqueue(
        Script.body(
            429,
            "application/json",
            "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\",\"param\":null,\"code\":\"rate_limit_exceeded\"}}"));
    assertThatThrownBy(() -> client.chat().completions().create(PARAMS))
        .isInstanceOf(RateLimitException.class)
        .hasMessageContaining("Rate limit reached");
    upstream.enqueue(Script.body(500, "text/plain", "upstream exploded"));
    assertThatThrownBy(() -> client.chat().completions().create(PARAMS))
        .isInstanceOf(InternalServerException.class)
        .satisfies(e -> assertThat(((OpenAIServiceException) e).statusCode()).isEqualTo(500))
        .hasMessageContaining("upstream exploded");
    for (int i = 0; i < 3; i++) {
      upstream.takeRequest();
    }
  }

  @Test
  void hangingUpstreamGives504AfterTheConfiguredTimeout() {
    upstream.enqueue(Script.hang("it-hang"));
    try {
      assertThatThrownBy(() -> client.chat().completions().create(PARAMS))
          .isInstanceOf(InternalServerException.class)
          .satisfies(e -> assertThat(((OpenAIServiceException) e).statusCode()).isEqualTo(504))
          .hasMessageContaining("did not answer within 2 s");
    } finally {
      upstream.openGate("it-hang");
      upstream.takeRequest();
    }
  }

  @Test
  void upstreamDownGives502NamingTheUrl(@TempDir Path home) throws Exception {
    try (HelixServeProcess orphan =
        HelixServeProcess.start(home, "upstream = \"http://127.0.0.1:9/v1\"\n", Map.of())) {
      OpenAIClient toOrphan = openai(orphan.url(), Map.of());
      assertThatThrownBy(() -> toOrphan.chat().completions().create(PARAMS))
          .isInstanceOf(InternalServerException.class)
          .satisfies(e -> assertThat(((OpenAIServiceException) e).statusCode()).isEqualTo(502))
          .hasMessageContaining("http://127.0.0.1:9/v1/chat/completions refused the connection");
      toOrphan.close();
    }
  }

  @Test
  void tokenIsSentAsXHelixTokenWhileAuthorizationStillGoesUpstream(@TempDir Path home)
      throws Exception {
    try (HelixServeProcess guarded =
        HelixServeProcess.start(
            home,
            "upstream = \"" + upstream.url() + "\"\n",
            Map.of("HELIX_TOKEN", "it-token-42"))) {
      OpenAIClient without = openai(guarded.url(), Map.of());
      OpenAIClient with = openai(guarded.url(), Map.of("X-Helix-Token", "it-token-42"));
      assertThatThrownBy(() -> without.chat().completions().create(PARAMS))
          .isInstanceOf(UnauthorizedException.class)
          .hasMessageContaining("X-Helix-Token")
          .hasMessageNotContaining("it-token-42");
      assertThat(with.chat().completions().create(PARAMS).choices()).hasSize(1);
      StandIn.Recorded sent = upstream.takeRequest();
      assertThat(sent.header("Authorization")).isEqualTo("Bearer sk-user-key");
      assertThat(sent.header("X-Helix-Token")).isNull();
      assertThat(guarded.log()).noneMatch(line -> line.contains("it-token-42"));
      without.close();
      with.close();
    }
  }
}
