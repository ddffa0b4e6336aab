package dev.helix.compress;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProseCompressionTest {
  private static final Tokens TOKENS = new Tokens();
  private final Compression compression = Compression.local(TOKENS);

  private static String essay() {
    StringBuilder out = new StringBuilder("# Operating the archive\n\n");
    for (int p = 0; p < 40; p++) {
      out.append("Paragraph ")
          .append(p)
          .append(" opens with its own topic sentence about storage tier ")
          .append(p)
          .append(".");
      for (int s = 0; s < 5; s++) {
        out.append(" Filler sentence ")
            .append(s)
            .append(" of paragraph ")
            .append(p)
            .append(
                " repeats what the reader already knows about disks,\nshelves and the weather.");
      }
      if (p == 23) {
        out.append(" Restores from cold storage need a signed ticket from the custodian.");
      }
      out.append("\n\n");
    }
    return out.toString();
  }

  @Test
  void theSentenceThatAnswersTheQuerySurvivesWithTheHeading() {
    String text = essay();

    CompressionResult result =
        compression.compressLocally(
            text, 250, Kind.AUTO, "how do restores from cold storage work?");

    assertThat(result.kind()).isEqualTo(Kind.PROSE);
    assertThat(result.tokens()).isLessThanOrEqualTo(250);
    assertThat(result.text())
        .contains("# Operating the archive")
        .contains("Restores from cold storage need a signed ticket from the custodian.")
        .contains("sentences omitted");
  }

  @Test
  void withoutAQueryTheTopicSentencesComeBeforeTheFiller() {
    String out = compression.compressLocally(essay(), 400, Kind.PROSE, null).text();

    assertThat(out)
        .contains("Paragraph 0 opens with its own topic sentence")
        .contains("Paragraph 5 opens");
    assertThat(out).doesNotContain("Filler sentence 3 of paragraph 30");
    int sentences = ProseCompressor.sentences(essay()).size();
    int kept =
        ProseCompressor.sentences(Notes.withoutNotes(out)).stream()
                    .filter(s -> !s.isBlank())
                    .count()
                > 0
            ? (int)
                ProseCompressor.sentences(Notes.withoutNotes(out)).stream()
                    .filter(s -> !s.isBlank())
                    .count()
            : 0;
    assertThat(Notes.omitted(out, "sentence")).isEqualTo(sentences - kept);
  }
}
