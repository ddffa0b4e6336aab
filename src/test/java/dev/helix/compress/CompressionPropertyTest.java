package dev.helix.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Property-style: random texts of every kind, random budgets and queries. Whatever comes in, the
 * result never exceeds the budget, JSON stays valid JSON (or the target is refused, naming one that
 * works), nothing else throws, and a planted FATAL line is kept when there is room.
 */
class CompressionPropertyTest {
  private static final Tokens TOKENS = new Tokens();
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String[] WORDS = {
    "alpha",
    "beta",
    "gamma",
    "{",
    "}",
    "[",
    "]",
    "\"",
    ":",
    ",",
    "ERROR",
    "at",
    "\t",
    "\n",
    "  ",
    "@@",
    "+",
    "-",
    "diff",
    "def",
    "class",
    "é",
    "日本",
    "🙂",
    ".",
    "\\",
    "null",
    "0",
    "42",
    "-1e9",
    "Caused by:",
    "    ",
    "\r\n",
    "{\"a\":",
    "[1,",
    "] }"
  };

  private final Compression compression = Compression.local(TOKENS);

  private static String randomText(Random random, Kind kind) {
    int size = random.nextInt(4000);
    StringBuilder out = new StringBuilder();
    switch (kind) {
      case JSON -> {
        out.append('[');
        for (int i = 0; i < size / 20; i++) {
          out.append(i > 0 ? "," : "")
              .append("{\"id\":")
              .append(i)
              .append(",\"v\":\"")
              .append(WORDS[random.nextInt(3)])
              .append("\",\"n\":")
              .append(random.nextInt(1000))
              .append('}');
        }
        out.append(']');
      }
      case LOG, DIFF, CODE, PROSE, AUTO -> {
        for (int i = 0; i < size; i++) {
          out.append(WORDS[random.nextInt(WORDS.length)]);
          if (random.nextInt(8) == 0) {
            out.append(kind == Kind.PROSE ? ". " : "\n");
          } else {
            out.append(' ');
          }
        }
      }
    }
    return out.toString();
  }

  @Test
  void randomInputsOfEveryKindNeverExceedTheBudgetAndJsonStaysJson() {
    Random random = new Random(20261126);
    for (int round = 0; round < 60; round++) {
      for (Kind kind : Kind.values()) {
        String text = randomText(random, kind);
        int target = 1 + random.nextInt(random.nextBoolean() ? 40 : 1500);
        String query = random.nextInt(3) == 0 ? null : WORDS[random.nextInt(WORDS.length)];

        CompressionResult result;
        try {
          result = compression.compressLocally(text, target, kind, query);
        } catch (TargetTooSmallException e) {
          // JSON with no valid JSON within the target: refused, and the target it names works.
          assertThat(kind).isIn(Kind.JSON, Kind.AUTO);
          assertThat(e.smallest()).isGreaterThan(target);
          target = e.smallest();
          result = compression.compressLocally(text, target, kind, query);
        }

        assertThat(TOKENS.count(result.text()))
            .as("round %d, kind %s, target %d", round, kind, target)
            .isEqualTo(result.tokens())
            .isLessThanOrEqualTo(target);
        if (kind == Kind.JSON) {
          String out = result.text();
          assertThatCode(() -> MAPPER.readTree(out))
              .as("round %d, target %d: %s", round, target, out)
              .doesNotThrowAnyException();
        }
      }
    }
  }

  @Test
  void aPlantedFatalLineSurvivesInRandomLinesWheneverItFits() {
    Random random = new Random(42);
    for (int round = 0; round < 40; round++) {
      StringBuilder text = new StringBuilder();
      int lines = 200 + random.nextInt(2000);
      int planted = random.nextInt(lines);
      for (int i = 0; i < lines; i++) {
        if (i == planted) {
          text.append("FATAL: replica ").append(round).append(" lost quorum\n");
        }
        text.append("step ")
            .append(i)
            .append(' ')
            .append(WORDS[random.nextInt(3)])
            .append(" done\n");
      }
      int target = 60 + random.nextInt(400);
      for (Kind kind : new Kind[] {Kind.AUTO, Kind.LOG, Kind.DIFF, Kind.CODE, Kind.PROSE}) {
        String out = compression.compressLocally(text.toString(), target, kind, null).text();

        assertThat(out)
            .as("round %d, kind %s", round, kind)
            .contains("FATAL: replica " + round + " lost quorum");
      }
    }
  }
}
