package dev.helix.context;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;

/**
 * Fuzz target for the chunker: any text in any style is cut without an exception into pieces of at
 * most {@link Chunker#MAX} characters, each with a 1-based line range inside the text, in order,
 * and none blank.
 */
class ChunkerFuzzTest {
  // One piece just over the limit: longer ones find nothing more and slow every input down.
  private static final String[] PIECES = {
    "{",
    "}",
    "\n",
    "\r\n",
    "\r",
    "  ",
    "\t",
    "# ",
    "## Heading\n",
    "```\n",
    "class A ",
    "def f():\n",
    "    ",
    "/*",
    "*/",
    "//",
    "\"",
    "'",
    "x".repeat(Chunker.MAX + 1),
    "\n\n",
    "\u2028",
    "\u0000",
    "é"
  };

  @FuzzTest
  void anyTextIsCutIntoNonBlankPiecesWithinTheLimitInLineOrder(FuzzedDataProvider data) {
    Language.Style style = data.pickValue(Language.Style.values());
    StringBuilder text = new StringBuilder();
    if (data.consumeBoolean()) {
      for (int n = data.consumeInt(0, 120); n > 0; n--) {
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
      String where = "piece of lines " + piece.startLine() + ".." + piece.endLine();
      check(!piece.text().isBlank(), where + " is blank");
      check(
          piece.text().length() <= Chunker.MAX,
          where + " has " + piece.text().length() + " characters");
      check(
          piece.startLine() >= previousStart && piece.startLine() <= piece.endLine(),
          where + " out of order");
      check(piece.endLine() <= lines, where + " ends after the text's " + lines + " lines");
      previousStart = piece.startLine();
    }
  }

  /** Plain checks: an assertion library's formatting would cost more than the chunker itself. */
  private static void check(boolean condition, String what) {
    if (!condition) {
      throw new AssertionError(what);
    }
  }
}
