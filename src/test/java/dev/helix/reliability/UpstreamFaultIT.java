package dev.helix.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helix.testing.StandIn;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chat proxy of a real {@code helix serve} child against a fault-injecting stand-in upstream
 * (another process): every fault gets the right answer in OpenAI's error shape, a broken stream
 * ends with exactly one error event, nothing hangs and nothing leaks. Each request carries its own
 * fault script ({@code x_standin}), so faults run concurrently. {@code -Dhelix.faults=N} sets the
 * randomized run's size (1,000, in CI too), and {@code -Dhelix.load.seconds=S} the load test's
 * length (60 s, in CI too).
 */
class UpstreamFaultIT {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int TIMEOUT_SECONDS = 2;

  @TempDir static Path dir;
  private static StandIn upstream;
  private static ServeProcess helix;

  @BeforeAll
  static void start() throws Exception {
    upstream = StandIn.start();
    helix =
        ServeProcess.start(
            dir,
            "upstream = \"" + upstream.url() + "\"\nupstream_timeout = " + TIMEOUT_SECONDS + "\n",
            Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    if (helix != null) {
      helix.close();
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  @Test
  void everyKindOfUpstreamFaultGetsItsOwnAnswer() throws Exception {
    try (HttpClient client = client()) {
      for (Fault fault : Fault.values()) {
        Outcome outcome = call(client, fault, 0);
        assertThat(outcome.problem()).as("%s: %s", fault, outcome.detail()).isNull();
      }
    }
  }

  @Test
  void refusedUpstreamIs502NamingTheUrlAndTheFix(@TempDir Path other) throws Exception {
    int closed = dev.helix.testing.ChildJvm.freePort();
    try (ServeProcess refused =
            ServeProcess.start(
                other, "upstream = \"http://127.0.0.1:" + closed + "\"\n", Map.of());
        HttpClient client = client()) {
      HttpResponse<String> response =
          client.send(
              chat(
                  refused.port,
                  "{\"model\":\"m\",\"messages\":" + "[{\"role\":\"user\",\"content\":\"hi\"}]}"),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(502);
      JsonNode error = MAPPER.readTree(response.body()).path("error");
      assertThat(error.path("code").asText()).isEqualTo("upstream_unreachable");
      assertThat(error.path("message").asText())
          .contains("refused the connection")
          .contains("127.0.0.1:" + closed)
          .contains("set [server] upstream");
    }
  }

  @Test
  void fiftyMegabyteStreamIsRelayedWholeAndEndsWithDone() throws Exception {
    long before = rssKib();
    long total = 50L << 20;
    try (HttpClient client = client()) {
      HttpResponse<InputStream> response =
          client.send(
              chat(helix.port, body(true, "{\"huge_bytes\":" + total + "}")),
              HttpResponse.BodyHandlers.ofInputStream());
      assertThat(response.statusCode()).isEqualTo(200);
      long bytes = 0;
      byte[] last = new byte[64];
      try (InputStream in = response.body()) {
        byte[] buffer = new byte[1 << 16];
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          bytes += n;
          if (n >= last.length) {
            System.arraycopy(buffer, n - last.length, last, 0, last.length);
          }
        }
      }
      assertThat(bytes).isGreaterThanOrEqualTo(total);
      assertThat(new String(last, StandardCharsets.UTF_8)).endsWith("data: [DONE]\n\n");
    }
    System.out.printf(
        "50 MiB stream relayed; helix serve resident memory %d KiB before, %d KiB after%n",
        before, rssKib());
  }

  @Test
  void clientThatLeavesMidStreamClosesTheUpstreamCallWithinASecond() throws Exception {
    long before = upstream.disconnects();
    try (HttpClient client = client()) {
      HttpResponse<InputStream> response =
          client.send(
              chat(
                  helix.port,
                  body(
                      true,
                      "{\"events\":[\"data: {\\\"n\\\":1}\"],\"delay_ms\":20,\"forever\":true}")),
              HttpResponse.BodyHandlers.ofInputStream());
      InputStream in = response.body();
      assertThat(in.read()).isEqualTo('d');
      in.close();
    }
    long left = System.nanoTime();
    while (upstream.disconnects() == before
        && System.nanoTime() - left < TimeUnit.SECONDS.toNanos(1)) {
      Thread.sleep(20);
    }
    assertThat(upstream.disconnects())
        .as("the upstream saw helix close the call within 1 s")
        .isGreaterThan(before);
    System.out.printf(
        "upstream saw the close %d ms after the client left%n",
        (System.nanoTime() - left) / 1_000_000);
  }

  @Test
  void randomizedFaultsAreAllClassifiedAndLeaveNoThreadOrConnectionBehind() throws Exception {
    int n = Integer.getInteger("helix.faults", 1000);
    int parallel = 16;
    // Warm up with the same concurrency first, so pools the server keeps on purpose are already
    // full.
    runMix(new Random(1), 2 * parallel, parallel, true);
    Usage before = usage();
    Map<Fault, AtomicLong> counts =
        runMix(new Random(Long.getLong("helix.seed", 42)), n, parallel, false);
    Usage after = settled(before);
    System.out.printf(
        "%d faults injected and classified correctly: %s; threads %d -> %d, fds %d -> %d%n",
        n, counts, before.threads(), after.threads(), before.fds(), after.fds());
    assertThat(after.threads())
        .as("threads of helix serve")
        .isLessThanOrEqualTo(before.threads() + 8);
    assertThat(after.fds())
        .as("open files of helix serve")
        .isLessThanOrEqualTo(before.fds() + parallel + 8);
  }

  @Test
  void sixtyFourStreamsAndSteadyPlainChatsRunWithoutAnError() throws Exception {
    long seconds = Long.getLong("helix.load.seconds", 60);
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    AtomicLong streams = new AtomicLong();
    AtomicLong plain = new AtomicLong();
    List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
    try (HttpClient client = client();
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> workers = new ArrayList<>();
      for (int w = 0; w < 64 + 4; w++) {
        boolean stream = w < 64;
        workers.add(
            pool.submit(
                () -> {
                  while (System.nanoTime() < end && errors.size() < 10) {
                    Outcome o =
                        call(client, stream ? Fault.TRICKLE_WITHIN_TIMEOUT : Fault.NONE_PLAIN, 0);
                    if (o.problem() != null) {
                      errors.add(o.problem() + ": " + o.detail());
                    }
                    (stream ? streams : plain).incrementAndGet();
                  }
                  return null;
                }));
      }
      for (Future<?> f : workers) {
        f.get(seconds + 60, TimeUnit.SECONDS);
      }
    }
    System.out.printf(
        "load %d s: %d streams, %d plain chats, %d errors%n",
        seconds, streams.get(), plain.get(), errors.size());
    assertThat(errors).isEmpty();
    assertThat(streams.get()).isGreaterThanOrEqualTo(64);
  }

  /** Plays {@code n} random faults, {@code parallel} at a time; fails on the first wrong answer. */
  static Map<Fault, AtomicLong> runMix(Random random, int n, int parallel, boolean onlyHealthy)
      throws Exception {
    Map<Fault, AtomicLong> counts = new EnumMap<>(Fault.class);
    List<Fault> kinds =
        onlyHealthy ? List.of(Fault.NONE_PLAIN, Fault.NONE_STREAM) : List.of(Fault.values());
    try (HttpClient client = client();
        ExecutorService pool = Executors.newFixedThreadPool(parallel)) {
      List<Future<Outcome>> outcomes = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        Fault fault = kinds.get(random.nextInt(kinds.size()));
        counts.computeIfAbsent(fault, f -> new AtomicLong()).incrementAndGet();
        int id = i;
        outcomes.add(pool.submit(() -> call(client, fault, id)));
      }
      for (Future<Outcome> f : outcomes) {
        // Every call ends within its own timeout (the client's 30 s); a hang fails here.
        Outcome o = f.get(120, TimeUnit.SECONDS);
        assertThat(o.problem()).as("%s: %s", o.fault(), o.detail()).isNull();
      }
    }
    return counts;
  }

  private static Outcome call(HttpClient client, Fault fault, int id) {
    try {
      HttpResponse<String> response =
          client.send(
              chat(helix.port, body(fault.stream, fault.script(id))),
              HttpResponse.BodyHandlers.ofString());
      return fault.judge(response.statusCode(), response.body());
    } catch (Exception e) {
      return new Outcome(fault, "the call failed", e.toString());
    }
  }

  static HttpClient client() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10))
        .build();
  }

  static HttpRequest chat(int port, String body) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  static String body(boolean stream, String script) {
    return "{\"model\":\"stand-in\",\"stream\":"
        + stream
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]"
        + (script == null ? "" : ",\"x_standin\":" + script)
        + "}";
  }

  /** A fault the stand-in plays, and what a user of helix must get for it. */
  enum Fault {
    NONE_PLAIN(false, null),
    NONE_STREAM(true, null),
    TRICKLE_WITHIN_TIMEOUT(
        true,
        "{\"events\":[\"data: {\\\"n\\\":1}\",\"data: {\\\"n\\\":2}\",\"data: {\\\"n\\\":3}\","
            + "\"data: [DONE]\"],\"delay_ms\":300}"),
    RESET_BEFORE_HEADERS(false, "{\"reset_before_headers\":true}"),
    RESET_MID_STREAM(
        true,
        "{\"events\":[\"data: {\\\"n\\\":1}\",\"data: {\\\"n\\\":2}\",\"data: {\\\"n\\\":3}\"],"
            + "\"reset_after\":2}"),
    TIMEOUT_BEFORE_HEADERS(
        false, "{\"hang\":true,\"hang_ms\":" + (TIMEOUT_SECONDS * 1000 + 1500) + "}"),
    STALL_MID_STREAM(
        true,
        "{\"events\":[\"data: {\\\"n\\\":1}\",\"data: {\\\"n\\\":2}\"],\"gates\":{\"1\":\"never\"}}"),
    JSON_429(
        false,
        "{\"status\":429,\"body\":{\"error\":{\"message\":\"slow down\",\"type\":\"rate_limit_error\","
            + "\"param\":null,\"code\":\"rate_limited\"}}}"),
    HTML_503(
        false,
        "{\"status\":503,\"content_type\":\"text/html\",\"body\":\"<html>upstream overloaded</html>\"}"),
    MALFORMED_JSON_200(false, "{\"status\":200,\"body\":\"{\\\"choices\\\": [\"}"),
    MALFORMED_JSON_500(false, "{\"status\":500,\"body\":\"{\\\"error\\\": \\\"oops\"}"),
    LARGE_STREAM(true, "{\"huge_bytes\":2000000}");

    final boolean stream;
    private final String script;

    Fault(boolean stream, String script) {
      this.stream = stream;
      this.script = script;
    }

    String script(int id) {
      return script == null ? null : script.replace("\"never\"", "\"never-" + id + "\"");
    }

    Outcome judge(int status, String body) {
      try {
        return switch (this) {
          case NONE_PLAIN ->
              expect(
                  status == 200
                      && MAPPER.readTree(body).at("/choices/0/message/content").isTextual(),
                  status,
                  body);
          case NONE_STREAM, TRICKLE_WITHIN_TIMEOUT, LARGE_STREAM ->
              expect(
                  status == 200 && body.endsWith("data: [DONE]\n\n") && !body.contains("\"error\""),
                  status,
                  body.length() > 300 ? body.substring(body.length() - 300) : body);
          case RESET_BEFORE_HEADERS ->
              error(status, body, 502, "upstream_unreachable", "closed the connection");
          case TIMEOUT_BEFORE_HEADERS ->
              error(status, body, 504, "upstream_timeout", "did not answer within");
          case RESET_MID_STREAM -> streamError(status, body, 2, "upstream_stream_broken");
          case STALL_MID_STREAM -> streamError(status, body, 1, "upstream_timeout");
          case JSON_429 ->
              expect(
                  status == 429
                      && MAPPER.readTree(body).at("/error/code").asText().equals("rate_limited"),
                  status,
                  body);
          case HTML_503 -> error(status, body, 503, "upstream_error", "upstream overloaded");
          case MALFORMED_JSON_200 ->
              expect(status == 200 && body.equals("{\"choices\": ["), status, body);
          case MALFORMED_JSON_500 -> error(status, body, 500, "upstream_error", "answered 500");
        };
      } catch (Exception e) {
        return new Outcome(
            this, "the answer is not what a client can read", e + " in " + status + " " + body);
      }
    }

    private Outcome expect(boolean ok, int status, String body) {
      return new Outcome(this, ok ? null : "wrong answer", status + " " + body);
    }

    private Outcome error(
        int status, String body, int wantStatus, String wantCode, String wantMessage)
        throws Exception {
      JsonNode error = MAPPER.readTree(body).path("error");
      boolean ok =
          status == wantStatus
              && error.path("code").asText().equals(wantCode)
              && error.path("message").asText().contains(wantMessage)
              && error.has("type");
      return expect(ok, status, body);
    }

    /**
     * 200, then {@code events} relayed events, then exactly one error event, and nothing after it.
     */
    private Outcome streamError(int status, String body, int events, String wantCode)
        throws Exception {
      String[] parts = body.split("\n\n");
      boolean ok = status == 200 && parts.length == events + 1;
      for (int i = 0; ok && i < events; i++) {
        ok = parts[i].startsWith("data: {\"n\":");
      }
      ok =
          ok
              && body.endsWith("\n\n")
              && parts[events].startsWith("data: {\"error\":")
              && MAPPER
                  .readTree(parts[events].substring(6))
                  .at("/error/code")
                  .asText()
                  .equals(wantCode);
      return expect(ok, status, body);
    }
  }

  record Outcome(Fault fault, String problem, String detail) {}

  record Usage(long threads, long fds) {}

  /** Threads and open files of the helix serve child, from /proc. */
  static Usage usage() throws Exception {
    long pid = helix.process.pid();
    long threads =
        Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
            .filter(l -> l.startsWith("Threads:"))
            .mapToLong(l -> Long.parseLong(l.substring(8).trim()))
            .findFirst()
            .orElseThrow();
    long fds;
    try (var list = Files.list(Path.of("/proc/" + pid + "/fd"))) {
      fds = list.count();
    }
    return new Usage(threads, fds);
  }

  /** The usage once idle connections and finished threads are gone, waiting up to 15 s for it. */
  private static Usage settled(Usage before) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    Usage now = usage();
    while (System.nanoTime() < deadline
        && (now.threads() > before.threads() + 2 || now.fds() > before.fds() + 2)) {
      Thread.sleep(250);
      now = usage();
    }
    return now;
  }

  private static long rssKib() throws Exception {
    return Files.readAllLines(Path.of("/proc/" + helix.process.pid() + "/status")).stream()
        .filter(l -> l.startsWith("VmRSS:"))
        .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", "")))
        .findFirst()
        .orElse(-1);
  }
}
