package dev.helix.compress;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class TokenFloorTest {
  private final Tokens tokens = new Tokens();

  @Test
  void neverExceedsTheTokenCountOfMixedText() {
    // Letters, digits, punctuation, blanks and the characters where the pre-tokenizer differs from
    // an ASCII view: contractions, letters and numbers beyond ASCII, symbols, surrogate pairs.
    String[] parts = {
      "a", "Z", "é", "ß", "日", "𝐀", "1", "²", "½", "٣", ".", ",", "'", "\"", "{", "}", "…", "→",
      " ", "  ", "\t", "\n", "\r\n", "\u00a0", "\u2003", "\u0085", "'s", "'ll", "\u0001", "\u007f",
      "🙂"
    };
    Random random = new Random(42);
    for (int trial = 0; trial < 20_000; trial++) {
      StringBuilder text = new StringBuilder();
      int length = 1 + random.nextInt(12);
      for (int i = 0; i < length; i++) {
        text.append(parts[random.nextInt(parts.length)]);
      }
      String t = text.toString();
      assertThat(TokenFloor.of(t))
          .as("%s", t.codePoints().mapToObj(Integer::toHexString).toList())
          .isLessThanOrEqualTo(tokens.count(t));
    }
  }

  @Test
  void neverExceedsTheTokenCountOfAnyLineOfThisProjectsSources() throws IOException {
    try (Stream<Path> files = Files.walk(Path.of("src/main/java/dev/helix"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        String text = Files.readString(file);
        assertThat(TokenFloor.of(text)).isLessThanOrEqualTo(tokens.count(text));
        for (String line : Lines.split(text)) {
          assertThat(TokenFloor.of(line)).as(line).isLessThanOrEqualTo(tokens.count(line));
        }
      }
    }
  }

  @Test
  void countsPunctuationRunsThatStandAlone() {
    // "{", "name", "\": \"", "react", "\"}" (the letters take in no run of two or more).
    assertThat(TokenFloor.of("{\"name\": \"react\"}")).isEqualTo(5);
    assertThat(TokenFloor.of("a.b")).isEqualTo(2); // a single '.' before letters may join them
  }

  @Test
  void fedInPartsGivesTheSameBoundAsWhole() {
    String text = "{\"id\": 12, \"tags\": [\"a\", \"b\"]}, ...\n  x";
    for (int cut = 0; cut <= text.length(); cut++) {
      TokenFloor floor = new TokenFloor();
      StringBuilder growing = new StringBuilder(text.substring(0, cut));
      floor.add(growing, 0, cut);
      assertThat(floor.soFar()).isLessThanOrEqualTo(TokenFloor.of(text));
      growing.append(text, cut, text.length());
      floor.add(growing, cut, text.length());
      assertThat(floor.finish()).isEqualTo(TokenFloor.of(text));
    }
  }
}
