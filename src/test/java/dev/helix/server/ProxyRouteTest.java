package dev.helix.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helix.context.Citation;
import dev.helix.context.ContextAnswer;
import dev.helix.context.Health;
import dev.helix.context.MissReason;
import dev.helix.context.Recommendation;
import dev.helix.context.Verdict;
import dev.helix.store.StoreUnavailableException;
import dev.helix.testing.StandIn;
import dev.helix.testing.StandIn.Script;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The chat proxy through a real server, in front of a stand-in upstream process. */
@Timeout(60)
class ProxyRouteTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String CHAT =
      """
      {"model":"m","messages":[{"role":"system","content":"be brief"},{"role":"user","content":"hi"},
      {"role":"assistant","content":"hello"},{"role":"user","content":"what does Foo.bar return?"}]}""";

  private static StandIn upstream;
  @TempDir Path dir;
  private FixedContextService store;
  private ServerFixture helix;

  @BeforeAll
  static void startUpstream() throws Exception {
    upstream = StandIn.start();
  }

  @AfterAll
  static void stopUpstream() {
    upstream.close();
  }

  @BeforeEach
  void startHelix() throws Exception {
    store = FixedContextService.noMatch();
    helix = ServerFixture.start(dir, upstream.url(), "upstream_timeout = 1.5\n", Map.of(), store);
  }

  @AfterEach
  void stopHelix() {
    helix.close();
  }

  static ContextAnswer know() {
    return new ContextAnswer(
        new Verdict.Know(0.9, 12.5, 4.0),
        "int bar() { return 42; }",
        List.of(new Citation("0123456789abcdef", "src/Foo.java", 3, 9, 12.5, false)),
        new Health(Health.Status.ALIGNED, 0.9, 1.0),
        Recommendation.TRUST,
        2,
        List.of());
  }

  @Test
  void knowVerdictInjectsCitedContextIntoTheSystemMessageAndKeepsHistory() throws Exception {
    store.answer(know());
    HttpResponse<String> response =
        helix.post("/v1/chat/completions", CHAT, "Authorization", "Bearer sk-user");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("X-Helix-Context")).contains("know");
    assertThat(response.headers().firstValue("X-Helix-Chunks")).contains("1");
    assertThat(MAPPER.readTree(response.body()).at("/choices/0/message/content").asText())
        .isEqualTo("Hello from the stand-in.");
    assertThat(store.queries.getFirst().query()).isEqualTo("what does Foo.bar return?");
    assertThat(store.queries.getFirst().maxTokens()).isEqualTo(6000);

    StandIn.Recorded sent = upstream.takeRequest();
    assertThat(sent.path()).isEqualTo("/v1/chat/completions");
    assertThat(sent.header("Authorization")).isEqualTo("Bearer sk-user");
    JsonNode messages = sent.bodyJson().get("messages");
    assertThat(messages).hasSize(4);
    assertThat(messages.get(0).get("content").asText())
        .startsWith("be brief\n\n<<<helix-context verdict=know")
        .contains("int bar() { return 42; }")
        .contains("[1] src/Foo.java:3-9");
    assertThat(messages.get(1).toString()).isEqualTo("{\"role\":\"user\",\"content\":\"hi\"}");
    assertThat(messages.get(2).toString())
        .isEqualTo("{\"role\":\"assistant\",\"content\":\"hello\"}");
    assertThat(messages.get(3).get("content").asText()).isEqualTo("what does Foo.bar return?");
  }

  @Test
  void aStoreWhoseClusterIsDownLeavesTheChatWorkingAndSaysSoInAHeader() throws Exception {
    HttpResponse<String> before = helix.post("/v1/chat/completions", CHAT);
    assertThat(before.headers().firstValue("X-Helix-Store")).isEmpty();
    upstream.takeRequest();

    store.fail(
        new StoreUnavailableException(
            "http://cluster.example:9200",
            "the OpenSearch cluster at http://cluster.example:9200 is unreachable"));
    HttpResponse<String> response = helix.post("/v1/chat/completions", CHAT);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("X-Helix-Context")).contains("miss");
    assertThat(response.headers().firstValue("X-Helix-Store")).contains("unavailable");
    assertThat(MAPPER.readTree(response.body()).at("/choices/0/message/content").asText())
        .isEqualTo("Hello from the stand-in.");
    assertThat(upstream.takeRequest().body()).isEqualTo(CHAT);
  }

  @Test
  void noMatchForwardsTheRequestByteForByte() throws Exception {

    HttpResponse<String> response = helix.post("/v1/chat/completions", CHAT);

    assertThat(response.headers().firstValue("X-Helix-Context")).contains("miss");
    assertThat(response.headers().firstValue("X-Helix-Chunks")).contains("0");
    assertThat(upstream.takeRequest().body()).isEqualTo(CHAT);
  }

  @Test
  void staleMissIsInjectedUnderAWarning() throws Exception {
    store.answer(
        new ContextAnswer(
            new Verdict.Miss(MissReason.STALE, List.of(), List.of("src/Foo.java")),
            "int bar() { return 41; }",
            List.of(new Citation("0123456789abcdef", "src/Foo.java", 3, 9, 2, true)),
            new Health(Health.Status.STALE, 0.5, 0),
            Recommendation.REFRESH,
            2,
            List.of()));
    HttpResponse<String> response = helix.post("/v1/chat/completions", CHAT);

    assertThat(response.headers().firstValue("X-Helix-Context")).contains("miss");
    assertThat(response.headers().firstValue("X-Helix-Chunks")).contains("1");
    assertThat(upstream.takeRequest().bodyJson().at("/messages/0/content").asText())
        .contains("WARNING: helix verdict is miss (stale)")
        .contains("return 41");
  }

  @Test
  void requestWithoutUserMessageIsForwardedUnchangedAndEmptyMessagesAreRefused() throws Exception {
    String noUser = "{\"model\":\"m\",\"messages\":[{\"role\":\"system\",\"content\":\"x\"}]}";
    helix.post("/v1/chat/completions", noUser);
    assertThat(upstream.takeRequest().body()).isEqualTo(noUser);
    assertThat(store.queries).isEmpty();

    HttpResponse<String> empty =
        helix.post("/v1/chat/completions", "{\"model\":\"m\",\"messages\":[]}");
    assertThat(empty.statusCode()).isEqualTo(400);
    assertThat(MAPPER.readTree(empty.body()).at("/error/param").asText()).isEqualTo("messages");

    HttpResponse<String> bad = helix.post("/v1/chat/completions", "{\"model\":");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(MAPPER.readTree(bad.body()).at("/error/message").asText())
        .contains("not valid JSON");
  }

  @Test
  void otherV1RoutesArePassedThroughWithTheirQuery() throws Exception {
    HttpResponse<String> models = helix.get("/v1/models?limit=1");

    assertThat(models.statusCode()).isEqualTo(200);
    assertThat(MAPPER.readTree(models.body()).at("/data/0/id").asText()).isEqualTo("stand-in");
    StandIn.Recorded sent = upstream.takeRequest();
    assertThat(sent.method()).isEqualTo("GET");
    assertThat(sent.path()).isEqualTo("/v1/models");
    assertThat(sent.json().path("query").asText()).isEqualTo("limit=1");
  }

  @Test
  void upstreamJsonErrorsKeepTheirStatusAndBody() throws Exception {
    for (int status : new int[] {401, 429, 500}) {
      String body =
          "{\"error\":{\"message\":\"scripted "
              + status
              + "\",\"type\":\"x\",\"param\":null,\"code\":\"c"
              + status
              + "\"}}";
      upstream.enqueue(Script.body(status, "application/json", body));
      HttpResponse<String> response = helix.post("/v1/chat/completions", CHAT);
      assertThat(response.statusCode()).isEqualTo(status);
      assertThat(response.body()).isEqualTo(body);
      upstream.takeRequest();
    }
  }

  @Test
  void upstreamNonJsonErrorIsWrappedInTheErrorShape() throws Exception {
    upstream.enqueue(Script.body(502, "text/html", "<html>bad gateway</html>"));
    HttpResponse<String> response = helix.post("/v1/chat/completions", CHAT);
    upstream.takeRequest();

    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
    JsonNode error = MAPPER.readTree(response.body()).get("error");
    assertThat(error.get("message").asText())
        .contains(upstream.url() + "/v1/chat/completions")
        .contains("answered 502")
        .contains("<html>bad gateway</html>");
    assertThat(error.get("type").asText()).isEqualTo("server_error");
  }

  @Test
  void hangingUpstreamGives504AfterTheTimeout() throws Exception {
    upstream.enqueue(Script.hang("hang-504"));
    HttpResponse<String> response = helix.post("/v1/chat/completions", CHAT);
    upstream.openGate("hang-504");
    upstream.takeRequest();

    assertThat(response.statusCode()).isEqualTo(504);
    assertThat(MAPPER.readTree(response.body()).at("/error/message").asText())
        .contains("did not answer within 1.5 s")
        .contains("[server] upstream_timeout")
        .contains(upstream.url() + "/v1/chat/completions");
  }

  @Test
  void streamIsRelayedBeforeTheUpstreamSendsItsNextEvent() throws Exception {
    upstream.enqueue(
        Script.events(List.of("data: {\"n\":1}", "data: {\"n\":2}", "data: [DONE]"))
            .gateBefore(1, "second-event"));
    HttpResponse<Stream<String>> response =
        helix.client.send(
            HttpRequest.newBuilder(URI.create(helix.url() + "/v1/chat/completions"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        CHAT.replace("{\"model\"", "{\"stream\":true,\"model\"")))
                .build(),
            HttpResponse.BodyHandlers.ofLines());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).contains("text/event-stream");
    Iterator<String> lines = response.body().iterator();
    // The second event is only sent once the gate opens: reading the first one proves it was not
    // held back.
    assertThat(lines.next()).isEqualTo("data: {\"n\":1}");
    upstream.openGate("second-event");
    assertThat(lines.next()).isEmpty();
    assertThat(lines.next()).isEqualTo("data: {\"n\":2}");
    assertThat(lines.next()).isEmpty();
    assertThat(lines.next()).isEqualTo("data: [DONE]");
    upstream.takeRequest();
  }

  @Test
  void streamBrokenByTheUpstreamEndsWithOneErrorEvent() throws Exception {
    upstream.enqueue(Script.events(List.of("data: {\"n\":1}", "data: {\"n\":2}")).resetAfter(1));
    HttpResponse<String> response =
        helix.post(
            "/v1/chat/completions", CHAT.replace("{\"model\"", "{\"stream\":true,\"model\""));
    upstream.takeRequest();

    assertThat(response.statusCode()).isEqualTo(200);
    String[] events = response.body().split("\n\n");
    assertThat(events).hasSize(2);
    assertThat(events[0]).isEqualTo("data: {\"n\":1}");
    assertThat(events[1]).startsWith("data: {\"error\":{");
    assertThat(
            MAPPER.readTree(events[1].substring("data: ".length())).at("/error/message").asText())
        .contains("broke off the stream");
  }

  @Test
  void clientThatDisconnectsCancelsTheUpstreamCall() throws Exception {
    long before = upstream.disconnects();
    upstream.enqueue(Script.chunks(4000, 1000).gateBefore(1, "after-disconnect"));
    HttpResponse<java.io.InputStream> response =
        helix.client.send(
            HttpRequest.newBuilder(URI.create(helix.url() + "/v1/chat/completions"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        CHAT.replace("{\"model\"", "{\"stream\":true,\"model\"")))
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    java.io.InputStream body = response.body();
    assertThat(body.read()).isEqualTo('d');
    body.close();
    upstream.openGate("after-disconnect");
    upstream.takeRequest();
    // Without the cancel, the upstream would block on a full socket instead of seeing its reader
    // leave.
    while (upstream.disconnects() == before) {
      Thread.sleep(50);
    }
    assertThat(upstream.disconnects()).isGreaterThan(before);
  }

  @Test
  void sixtyFourConcurrentChatsPlainAndStreamingAllSucceed() throws Exception {
    try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
      List<java.util.concurrent.Future<HttpResponse<String>>> calls = new java.util.ArrayList<>();
      for (int i = 0; i < 64; i++) {
        String body = i % 2 == 0 ? CHAT : CHAT.replace("{\"model\"", "{\"stream\":true,\"model\"");
        calls.add(threads.submit(() -> helix.post("/v1/chat/completions", body)));
      }
      for (int i = 0; i < calls.size(); i++) {
        HttpResponse<String> response = calls.get(i).get();
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body())
            .contains(i % 2 == 0 ? "Hello from the stand-in." : "data: [DONE]");
      }
    }
    for (int i = 0; i < 64; i++) {
      upstream.takeRequest();
    }
  }

  @Test
  void learnOffNeverWritesTheStore() throws Exception {
    store.answer(know());
    helix.post("/v1/chat/completions", CHAT);
    upstream.takeRequest();
    assertThat(store.ingested).isEmpty();
  }

  @Test
  void learnOnStoresTheQuestionAndTheReplyAsConversation(@TempDir Path other) throws Exception {
    FixedContextService learning = FixedContextService.noMatch();
    try (ServerFixture learner =
        ServerFixture.start(other, upstream.url(), "learn = true\n", Map.of(), learning)) {
      assertThat(learner.post("/v1/chat/completions", CHAT).statusCode()).isEqualTo(200);
    }
    upstream.takeRequest();
    assertThat(learning.ingested)
        .containsExactly(
            "conversation:user: what does Foo.bar return?\n\nassistant: Hello from the stand-in.");
  }

  @Test
  void headroomHopIsNamedWithTheRealUpstreamWhenItRefuses(@TempDir Path other) throws Exception {
    try (ServerFixture routed =
        ServerFixture.start(
            other,
            "http://127.0.0.1:9",
            "",
            Map.of("OPENAI_TARGET_API_URL", "https://api.openai.com/v1"),
            FixedContextService.noMatch())) {
      HttpResponse<String> response = routed.post("/v1/chat/completions", CHAT);
      assertThat(response.statusCode()).isEqualTo(502);
      assertThat(MAPPER.readTree(response.body()).at("/error/message").asText())
          .startsWith("Headroom at 127.0.0.1:9")
          .contains("refused the connection")
          .contains("real upstream https://api.openai.com/v1");
    }
  }

  @Test
  void redirectsFromTheUpstreamAreRelayedNotFollowed() throws Exception {
    upstream.enqueue(
        Script.body(307, "application/json", "{}")
            .header("Location", "http://127.0.0.1:9/elsewhere"));
    HttpResponse<String> response = helix.get("/v1/models");

    assertThat(response.statusCode()).isEqualTo(307);
    assertThat(response.headers().firstValue("Location")).contains("http://127.0.0.1:9/elsewhere");
    upstream.takeRequest();
  }

  @Test
  void streamThatGoesQuietLongerThanTheTimeoutEndsWithATimeoutEvent() throws Exception {
    upstream.enqueue(
        Script.events(List.of("data: {\"n\":1}", "data: {\"n\":2}")).gateBefore(1, "quiet"));
    try {
      HttpResponse<String> response =
          helix.post(
              "/v1/chat/completions", CHAT.replace("{\"model\"", "{\"stream\":true,\"model\""));
      String[] events = response.body().split("\n\n");
      assertThat(events[0]).isEqualTo("data: {\"n\":1}");
      assertThat(
              MAPPER.readTree(events[1].substring("data: ".length())).at("/error/message").asText())
          .contains("sent nothing for 1.5 s in the middle of the stream");
    } finally {
      upstream.openGate("quiet");
      upstream.takeRequest();
    }
  }
}
