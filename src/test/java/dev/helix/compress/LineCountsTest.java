package dev.helix.compress;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class LineCountsTest {
  private final Tokens tokens = new Tokens();

  @Test
  void countsEveryTextExactlyAsTheWholeTextCounts() {
    List<String> texts =
        List.of(
            "{\n  \"name\": \"react\",\n  \"versions\": [\n    \"18.2.0\",\n    \"19.0.0\"\n  ]\n}",
            "line one\n\nline two after a blank line\n   \n  indented after blanks\n",
            "crlf line\r\n  next\r\n\r\nlast",
            "tabs\n\t\tindented\n\t\n\tx\n",
            "trailing blanks   \n   \nword\n    ",
            "unicode\n\u00a0non-breaking\n\u2003em space\n\u3000ideographic\n\u0085next line\n日本語\n🙂 emoji\n",
            "'s contraction\n's again\n'll\n  's\n",
            "digits 1234567\n89012\n  345\n",
            "\n\n\nstarts with breaks\n",
            "");
    for (String text : texts) {
      assertThat(new LineCounts(tokens).countWithin(text, Integer.MAX_VALUE))
          .as(text)
          .isEqualTo(tokens.count(text));
    }
  }

  @Test
  void countsThisProjectsSourcesExactlyAndStopsPastTheLimit() throws IOException {
    LineCounts counts = new LineCounts(tokens);
    try (Stream<Path> files = Files.walk(Path.of("src/main/java/dev/helix/compress"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        String text = Files.readString(file);
        int all = tokens.count(text);
        assertThat(counts.countWithin(text, all)).as(file.toString()).isEqualTo(all);
        assertThat(counts.countWithin(text, all - 1)).as(file.toString()).isEqualTo(-1);
      }
    }
  }

  @Test
  void cutsOnlyBeforeALineThatGoesOnWithAVisibleCharacter() {
    String text = "a\n  b\n\nc\n \n d";
    assertThat(LineCounts.nextCut(text, 0)).isEqualTo(2); // before "  b"
    assertThat(LineCounts.nextCut(text, 2))
        .isEqualTo(text.indexOf("\nc") + 1); // past the blank line
    assertThat(LineCounts.nextCut(text, text.indexOf("c"))).isEqualTo(text.length() - 2);
  }
}
