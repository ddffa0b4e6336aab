package dev.helix.context;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;

/**
 * Fuzz target for the chunker: any text in any style is cut without an exception into pieces of
 * at most {@link Chunker#MAX} characters, each with a 1-based line range inside the text, in order,
 * and none blank.
 */
class ChunkerFuzzTest {
  private static final String[] PIECES = {"{", "}", "\n", "\r\n", "\r", "  ", "\t", "# ", "## Heading\n", "```\n",
      "class A ", "def f():\n", "    ", "/*", "*/", "//", "\"", "'", "x".repeat(5000), "\n\n", "\u2028", "\u0000", "é"};

  @FuzzTest
  void anyTextIsCutIntoNonBlankPiecesWithinTheLimitInLineOrder(FuzzedDataProvider data) {
    Language.Style style = data.pickValue(Language.Style.values());
    StringBuilder text = new StringBuilder();
    if (data.consumeBoolean()) {
      for (int n = data.consumeInt(0, 200); n > 0; n--) {
        text.append(data.consumeBoolean() ? data.pickValue(PIECES) : data.consumeString(20));
      }
    } else {
      text.append(data.consumeRemainingAsString());
    }
    String source = text.toString();
    long lines = source.lines().count() + 1;

    List<Chunker.Piece> pieces = Chunker.split(source, style);

    int previousStart = 1;
    for (Chunker.Piece piece : pieces) {
      assertThat(piece.text()).isNotBlank();
      assertThat(piece.text().length()).as("piece of lines %d..%d", piece.startLine(), piece.endLine())
          .isLessThanOrEqualTo(Chunker.MAX);
      assertThat(piece.startLine()).isGreaterThanOrEqualTo(previousStart).isLessThanOrEqualTo(piece.endLine());
      assertThat((long) piece.endLine()).isLessThanOrEqualTo(lines);
      previousStart = piece.startLine();
    }
  }
}
