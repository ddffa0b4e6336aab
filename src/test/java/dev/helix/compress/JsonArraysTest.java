package dev.helix.compress;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class JsonArraysTest {
  private static final List<String> WORDS =
      List.of(
          "error", "exception", "failure", "fault", "traceback", "stacktrace", "fatal", "panic");

  @Test
  void errorKeysAreTheKeysHoldingAnErrorWordInAnyCase() {
    List<String> keys =
        List.of(
            "error",
            "lastException",
            "FAILURE_REASON",
            "stackTrace",
            "Traceback",
            "isFatal",
            "panicked",
            "faultCode",
            "errors",
            "name",
            "version",
            "err",
            "fail",
            "failed",
            "e",
            "",
            "ERRO",
            "xerrorx",
            "exceptio",
            "Stack_Trace",
            "ſtacktrace",
            "EXCEPTİON",
            "fatal\u212a",
            "tracebac\u212a",
            "PANİC",
            "statusCode",
            "result",
            "severity");
    for (String key : keys) {
      boolean expected = WORDS.stream().anyMatch(word -> Query.containsIgnoreCase(key, word));
      assertThat(JsonArrays.isErrorKey(key)).as(key).isEqualTo(expected);
    }
    assertThat(JsonArrays.isErrorKey("lastException")).isTrue();
    assertThat(JsonArrays.isErrorKey("name")).isFalse();
  }
}
