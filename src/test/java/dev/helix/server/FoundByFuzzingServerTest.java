package dev.helix.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bugs the round 2 fuzz targets found in the server, one test each (round 1's are in
 * FoundByFuzzingTest).
 */
class FoundByFuzzingServerTest {
  @TempDir Path dir;

  /**
   * Found by RequestBodyFuzzTest: a tab and NULs look like UTF-32 to Jackson, which then fails with
   * a CharConversionException, not a JacksonException; the proxy let it escape and the server
   * dropped the connection without an answer.
   */
  @Test
  void chatBodyThatJacksonReadsAsUtf32IsA400NotADroppedConnection() throws Exception {
    try (ServerFixture helix =
        ServerFixture.start(
            dir, "http://127.0.0.1:9", "", Map.of(), FixedContextService.noMatch())) {
      HttpResponse<String> response = helix.post("/v1/chat/completions", "\t\0\0\0\0\0\0");

      assertThat(response.statusCode()).isEqualTo(400);
      assertThat(new ObjectMapper().readTree(response.body()).at("/error/message").asText())
          .startsWith("the chat request body is not valid JSON");
    }
  }
}
