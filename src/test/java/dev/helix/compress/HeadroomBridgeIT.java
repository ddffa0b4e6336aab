package dev.helix.compress;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.helix.config.ConfigLoader;
import dev.helix.config.HelixConfig;
import dev.helix.testing.ChildJvm;
import dev.helix.text.Json;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Headroom bridge against a stand-in Headroom running as a separate process. */
@Timeout(value = 60, unit = TimeUnit.SECONDS) // a hang guard, not a speed check
class HeadroomBridgeIT {
  private static final Tokens TOKENS = new Tokens();
  private static Process standIn;
  private static int port;

  @TempDir static Path dir;

  @BeforeAll
  static void startStandIn() throws Exception {
    String java = ProcessHandle.current().info().command().orElseThrow();
    standIn =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                HeadroomCompressStandIn.class.getName())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(standIn.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    assertThat(line).as("the stand-in's first line").startsWith("PORT ");
    port = Integer.parseInt(line.substring(5).strip());
  }

  @AfterAll
  static void stopStandIn() throws Exception {
    if (standIn != null) {
      standIn.destroy();
      if (!standIn.waitFor(10, TimeUnit.SECONDS)) {
        standIn.destroyForcibly();
      }
    }
  }

  /**
   * A config pointing the bridge at {@code headroomPort}. The timeout is generous (the stand-in's
   * first answer comes from a cold JVM on a busy machine) except for the timeout case, which only
   * needs it shorter than the stand-in's 30 s sleep.
   */
  private static HelixConfig config(int headroomPort, Map<String, String> env, double timeout)
      throws Exception {
    Path home = Files.createTempDirectory(dir, "home");
    Path toml = home.resolve("helix.toml");
    Files.writeString(
        toml,
        "[headroom]\nhost = \"127.0.0.1\"\nport = "
            + headroomPort
            + "\ncompress_timeout = "
            + timeout
            + "\n");
    return new ConfigLoader(env, home, home).load(toml).config();
  }

  /** A long build log whose first line tells the stand-in how to answer. */
  private static String log(String mode, String id) {
    StringBuilder text = new StringBuilder("mode=" + mode + " id=" + id + "\n");
    for (int i = 0; i < 3000; i++) {
      text.append("[INFO] compiled module ")
          .append(Integer.toString(i * 7919, 36))
          .append(" in ")
          .append(i % 97)
          .append(" ms\n");
    }
    text.append("[ERROR] Failed to execute goal: checksum mismatch in module 1234\n");
    return text.toString();
  }

  private static boolean seen(String id) throws Exception {
    try (HttpClient client = HttpClient.newHttpClient()) {
      HttpResponse<String> response =
          client.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/seen?id=" + id))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return Boolean.parseBoolean(response.body());
    }
  }

  @Test
  void aGoodHeadroomAnswerIsUsedAndSaysViaHeadroom() throws Exception {
    String id = UUID.randomUUID().toString();
    try (Compression compression = Compression.open(config(port, Map.of(), 20), TOKENS)) {
      CompressionResult result =
          compression.compress(new CompressionRequest(log("good", id), 500, Kind.AUTO, null));

      assertThat(result.via()).isEqualTo(CompressionResult.Via.HEADROOM);
      assertThat(result.text()).isEqualTo("headroom kept: mode=good id=" + id);
      assertThat(Json.mapper().convertValue(result, new TypeReference<Map<String, Object>>() {}))
          .containsEntry("via", "headroom")
          .containsEntry("kind", "log");
    }
    assertThat(seen(id)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"timeout", "error500", "empty", "malformed", "overbudget"})
  void aFailingHeadroomFallsBackToLocalCompression(String mode) throws Exception {
    String id = UUID.randomUUID().toString();
    try (Compression compression =
        Compression.open(config(port, Map.of(), mode.equals("timeout") ? 1 : 20), TOKENS)) {
      CompressionResult result =
          compression.compress(new CompressionRequest(log(mode, id), 500, Kind.AUTO, null));

      assertThat(result.via()).isEqualTo(CompressionResult.Via.LOCAL);
      assertThat(result.tokens()).isLessThanOrEqualTo(500);
      assertThat(result.text())
          .contains("[ERROR] Failed to execute goal: checksum mismatch in module 1234")
          .contains("lines omitted");
    }
    assertThat(seen(id)).as("Headroom was asked first").isTrue();
  }

  /** Issue 20: JSON stays valid JSON, whoever compresses it. */
  @Test
  void aHeadroomAnswerThatIsNotJsonForAJsonDocumentFallsBackToLocalCompression() throws Exception {
    String id = UUID.randomUUID().toString();
    StringBuilder json =
        new StringBuilder("{\"note\": \"mode=good id=" + id + "\",\n \"versions\": [");
    for (int i = 0; i < 2000; i++) {
      json.append(i > 0 ? ", " : "").append("\"1.").append(i).append(".0\"");
    }
    json.append("]}");
    try (Compression compression = Compression.open(config(port, Map.of(), 20), TOKENS)) {
      CompressionResult result =
          compression.compress(new CompressionRequest(json.toString(), 200, Kind.AUTO, null));

      assertThat(result.via()).isEqualTo(CompressionResult.Via.LOCAL);
      assertThat(result.kind()).isEqualTo(Kind.JSON);
      assertThat(
              new com.fasterxml.jackson.databind.ObjectMapper()
                  .readTree(result.text())
                  .path("note")
                  .asText())
          .isEqualTo("mode=good id=" + id);
    }
    assertThat(seen(id)).as("Headroom was asked first").isTrue();
  }

  @Test
  void aHeadroomThatIsNotListeningFallsBackToLocalCompression() throws Exception {
    int closed = ChildJvm.freePort();
    try (Compression compression = Compression.open(config(closed, Map.of(), 20), TOKENS)) {
      CompressionResult result =
          compression.compress(new CompressionRequest(log("good", "refused"), 400, Kind.LOG, null));

      assertThat(result.via()).isEqualTo(CompressionResult.Via.LOCAL);
      assertThat(result.text()).contains("[ERROR] Failed to execute goal");
    }
  }

  @Test
  void disablingHeadroomNeverCallsIt() throws Exception {
    String id = UUID.randomUUID().toString();
    HelixConfig config = config(port, Map.of("HELIX_DISABLE_HEADROOM", "1"), 20);
    assertThat(config.headroomBridgeDisabled()).isTrue();
    try (Compression compression = Compression.open(config, TOKENS)) {
      CompressionResult result =
          compression.compress(new CompressionRequest(log("good", id), 500, Kind.AUTO, null));

      assertThat(result.via()).isEqualTo(CompressionResult.Via.LOCAL);
    }
    assertThat(seen(id)).isFalse();
  }

  @Test
  void textThatAlreadyFitsIsReturnedAsItIsWithoutAskingHeadroom() throws Exception {
    String id = UUID.randomUUID().toString();
    String text = "mode=good id=" + id + "\nshort\n";
    try (Compression compression = Compression.open(config(port, Map.of(), 20), TOKENS)) {
      CompressionResult result =
          compression.compress(new CompressionRequest(text, 500, Kind.AUTO, null));

      assertThat(result.text()).isEqualTo(text);
      assertThat(result.omitted()).isZero();
      assertThat(result.via()).isEqualTo(CompressionResult.Via.LOCAL);
    }
    assertThat(seen(id)).isFalse();
  }
}
