package dev.helix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A newcomer's first minutes: ingest a small tree, ask about it, ask about something else. */
class IngestQueryIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void aNewcomerIngestsATreeAndGetsACitedAnswerAndAnHonestMiss() throws Exception {
    Path tree = dir.resolve("project");
    Files.createDirectories(tree.resolve("src"));
    Files.writeString(
        tree.resolve("src/RateLimiter.java"),
        """
        package demo;

        /**
         * Limits how many requests a client may send per second, using a token bucket that refills
         * at a fixed rate.
         */
        public final class RateLimiter {
          private double tokens;

          /** Takes one token if there is one; false means the request must wait. */
          public boolean tryAcquire() {
            if (tokens >= 1) {
              tokens -= 1;
              return true;
            }
            return false;
          }
        }
        """);
    Files.writeString(tree.resolve("README.md"), "# Demo\n\nA demo service with a rate limiter.\n");
    Files.writeString(tree.resolve(".gitignore"), "target/\n");
    Files.createDirectories(tree.resolve("target"));
    Files.writeString(tree.resolve("target/Junk.java"), "class Junk { /* token bucket */ }\n");
    HelixProcess helix = new HelixProcess(dir, true);

    HelixProcess.Result ingest = helix.run("ingest", tree.toString(), "--json");
    assertThat(ingest.exit()).as(ingest.err()).isZero();
    JsonNode report = JSON.readTree(ingest.out());
    assertThat(report.path("files").asInt()).isEqualTo(3);
    assertThat(report.path("store").path("chunks").asInt()).isPositive();
    assertThat(report.path("store").path("store_bytes").asLong()).isPositive();

    HelixProcess.Result known =
        helix.run("query", "how many requests per second may a client send", "--json");
    assertThat(known.exit()).as(known.err()).isZero();
    JsonNode answer = JSON.readTree(known.out());
    assertThat(answer.path("verdict").asText()).isEqualTo("know");
    JsonNode top = answer.path("citations").path(0);
    assertThat(top.path("source").asText())
        .isEqualTo(tree.resolve("src/RateLimiter.java").toString());
    assertThat(top.path("lines").path(0).asInt()).isEqualTo(1);
    assertThat(answer.path("context").asText()).contains("token bucket");
    assertThat(answer.toString()).doesNotContain("Junk");

    HelixProcess.Result unknown =
        helix.run("query", "what is the boiling point of tungsten", "--json");
    JsonNode miss = JSON.readTree(unknown.out());
    assertThat(miss.path("verdict").asText()).isEqualTo("miss");
    assertThat(miss.path("reason").asText()).isIn("no_match", "sparse");
    assertThat(miss.path("do_not_answer_from_context").asBoolean()).isTrue();

    HelixProcess.Result readable = helix.run("query", "token bucket refill rate");
    assertThat(readable.out()).contains("verdict: know").contains("RateLimiter.java:1-");

    HelixProcess.Result packet =
        helix.run("packet", "token bucket rate limiter", "--task", "edit", "--json");
    assertThat(packet.exit()).as(packet.err()).isZero();
    assertThat(JSON.readTree(packet.out()).path("verified").path(0).path("freshness").asText())
        .isEqualTo("unchanged");
  }
}
