package dev.helix.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.helix.testing.HelixServeProcess;
import dev.helix.testing.StandIn;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole product path on real parts: files ingested through {@code POST /ingest} of a real
 * {@code helix serve}, then a chat call from the official OpenAI client gets their cited context
 * injected, and an edited file turns the answer into a stale miss.
 */
@Timeout(180)
class KnowledgeProxyIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String QUESTION = "How does the invoice service retry failed payments?";

  @TempDir Path home;
  @TempDir Path docs;

  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> post(String url, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void ingestedFilesAreInjectedWithCitationsAndAnEditMakesThemStale() throws Exception {
    Path retry = docs.resolve("retry-policy.md");
    Files.writeString(
        retry,
        """
        # Invoice payment retries

        The invoice service retries failed payments with exponential backoff: three attempts,
        doubling from 200 ms, then it parks the invoice in the dead-letter queue invoices-dlq.
        """);
    Files.writeString(
        docs.resolve("unrelated.md"), "# Lunch\n\nThe canteen serves soup on Fridays.\n");

    try (StandIn upstream = StandIn.start();
        // Not watched: a watched root would index the edit below at once (WorkspaceIT); unwatched,
        // as after a CLI-only ingest, the edited file is stale until it is ingested again.
        HelixServeProcess helix =
            HelixServeProcess.start(
                home,
                "upstream = \"" + upstream.url() + "\"\n",
                Map.of("HELIX_STORE_WATCH", "0"))) {
      HttpResponse<String> ingest =
          post(
              helix.url() + "/ingest",
              JSON.writeValueAsString(Map.of("paths", new String[] {docs.toString()})));
      assertThat(ingest.statusCode()).as(ingest.body()).isEqualTo(200);
      assertThat(JSON.readTree(ingest.body()).get("files").asInt()).isEqualTo(2);

      HttpResponse<String> missing =
          post(helix.url() + "/ingest", "{\"paths\":[\"" + docs.resolve("nope") + "\"]}");
      assertThat(missing.statusCode()).isEqualTo(400);
      assertThat(JSON.readTree(missing.body()).at("/error/param").asText()).isEqualTo("paths");

      OpenAIClient client = HelixServeIT.openai(helix.url(), Map.of());
      try {
        ChatCompletionCreateParams params =
            ChatCompletionCreateParams.builder()
                .model("stand-in")
                .addUserMessage("hi")
                .addAssistantMessage("hello")
                .addUserMessage(QUESTION)
                .build();
        try (HttpResponseFor<ChatCompletion> response =
            client.chat().completions().withRawResponse().create(params)) {
          assertThat(response.headers().values("X-Helix-Context")).containsExactly("know");
          assertThat(Integer.parseInt(response.headers().values("X-Helix-Chunks").getFirst()))
              .isPositive();
        }
        JsonNode messages = upstream.takeRequest().bodyJson().get("messages");
        assertThat(messages).hasSize(4);
        assertThat(messages.get(0).get("role").asText()).isEqualTo("system");
        assertThat(messages.get(0).get("content").asText())
            .contains("invoices-dlq")
            .contains("retry-policy.md")
            .doesNotContain("canteen");
        assertThat(messages.get(3).get("content").asText()).isEqualTo(QUESTION);

        Files.writeString(
            retry, Files.readString(retry).replace("three attempts", "five attempts"));
        Files.setLastModifiedTime(retry, FileTime.from(Instant.now().plusSeconds(5)));
        JsonNode stale =
            JSON.readTree(
                post(helix.url() + "/context", JSON.writeValueAsString(Map.of("query", QUESTION)))
                    .body());
        assertThat(stale.get("verdict").asText()).isEqualTo("miss");
        assertThat(stale.get("reason").asText()).isEqualTo("stale");
        assertThat(stale.get("refresh_targets").toString()).contains("retry-policy.md");
        assertThat(stale.get("do_not_answer_from_context").asBoolean()).isTrue();

        try (HttpResponseFor<ChatCompletion> warned =
            client.chat().completions().withRawResponse().create(params)) {
          assertThat(warned.headers().values("X-Helix-Context")).containsExactly("miss");
        }
        assertThat(upstream.takeRequest().bodyJson().at("/messages/0/content").asText())
            .containsIgnoringCase("stale")
            .contains("invoices-dlq");
      } finally {
        client.close();
      }
    }
  }
}
