package dev.helix.context;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkerTest {
  private static String javaClassWithMethods(int methods) {
    StringBuilder s =
        new StringBuilder(
            "package a;\n\nimport java.util.List;\n\n/** The class doc. */\npublic class Big {\n");
    for (int i = 0; i < methods; i++) {
      s.append("\n  /**\n   * Computes value ").append(i).append(" from the input.\n   */\n");
      s.append("  public int method").append(i).append("(int x) {\n");
      for (int j = 0; j < 12; j++) {
        s.append("    x = x * ").append(j + 1).append(" + ").append(i).append("; // step\n");
      }
      s.append("    return x;\n  }\n");
    }
    return s.append("}\n").toString();
  }

  @Test
  void javaIsCutAtMethodsAndEachMethodKeepsItsJavadoc() {
    List<Chunker.Piece> pieces = Chunker.split(javaClassWithMethods(20), Language.Style.BRACES);

    assertThat(pieces).hasSizeGreaterThan(3);
    assertThat(pieces)
        .allSatisfy(p -> assertThat(p.text().length()).isLessThanOrEqualTo(Chunker.MAX));
    // Every piece after the first starts at a member's doc comment, never in the middle of a body.
    assertThat(pieces.subList(1, pieces.size()))
        .allSatisfy(p -> assertThat(p.text().strip()).startsWith("/**"));
  }

  @Test
  void piecesCoverTheTextWithOneBasedLineRangesInOrder() {
    String text = javaClassWithMethods(10);
    List<String> lines = Chunker.lines(text);
    List<Chunker.Piece> pieces = Chunker.split(text, Language.Style.BRACES);

    assertThat(pieces.getFirst().startLine()).isEqualTo(1);
    assertThat(pieces.getLast().endLine()).isEqualTo(lines.size());
    for (Chunker.Piece p : pieces) {
      assertThat(p.text())
          .isEqualTo(String.join("\n", lines.subList(p.startLine() - 1, p.endLine())));
    }
    for (int i = 1; i < pieces.size(); i++) {
      assertThat(pieces.get(i).startLine()).isEqualTo(pieces.get(i - 1).endLine() + 1);
    }
  }

  @Test
  void markdownIsCutAtHeadings() {
    StringBuilder md = new StringBuilder("# Title\n\nIntro.\n");
    for (int i = 0; i < 6; i++) {
      md.append("\n## Section ")
          .append(i)
          .append("\n\n")
          .append("Some words about this part. ".repeat(20))
          .append("\n");
    }
    List<Chunker.Piece> pieces = Chunker.split(md.toString(), Language.Style.MARKDOWN);

    assertThat(pieces).hasSizeGreaterThan(1);
    assertThat(pieces.subList(1, pieces.size()))
        .allSatisfy(p -> assertThat(p.text()).startsWith("## Section"));
  }

  @Test
  void headingsInsideFencedCodeAreNotHeadings() {
    String md = "# Real\n\n```\n# not a heading\n" + "code line\n".repeat(200) + "```\n";
    List<Chunker.Piece> pieces = Chunker.split(md, Language.Style.MARKDOWN);

    assertThat(pieces).noneSatisfy(p -> assertThat(p.text()).startsWith("# not a heading"));
  }

  @Test
  void longProseIsCutAtParagraphsWithinTheLimit() {
    String para = "A sentence of prose that goes on. ".repeat(30);
    String text = String.join("\n\n", List.of(para, para, para, para, para, para));
    List<Chunker.Piece> pieces = Chunker.split(text, Language.Style.PROSE);

    assertThat(pieces).hasSizeGreaterThan(2);
    assertThat(pieces)
        .allSatisfy(
            p -> {
              assertThat(p.text().length()).isLessThanOrEqualTo(Chunker.MAX);
              assertThat(p.text()).startsWith("A sentence");
            });
  }

  @Test
  void aSingleHugeLineIsCutByCharactersAsTheLastResort() {
    List<Chunker.Piece> pieces = Chunker.split("x".repeat(9000), Language.Style.PROSE);

    assertThat(pieces).hasSize(3).allSatisfy(p -> assertThat(p.startLine()).isEqualTo(1));
  }

  @Test
  void pythonIsCutAtTopLevelDefinitions() {
    StringBuilder py = new StringBuilder("import os\n\n");
    for (int i = 0; i < 15; i++) {
      py.append("def f").append(i).append("(x):\n    \"\"\"Doc ").append(i).append(".\"\"\"\n");
      py.append("    y = x + 1\n".repeat(12)).append("    return y\n\n");
    }
    List<Chunker.Piece> pieces = Chunker.split(py.toString(), Language.Style.INDENT);

    assertThat(pieces).hasSizeGreaterThan(1);
    assertThat(pieces.subList(1, pieces.size()))
        .allSatisfy(p -> assertThat(p.text()).startsWith("def f"));
  }

  @Test
  void chunkIdIsTheFirst16HexOfSha256OfSourceNulContent() {
    // Computed independently with: printf 'a\0b' | sha256sum
    assertThat(Chunker.chunkId("a", "b")).isEqualTo("59b271ae1bbcb1d3");
    assertThat(Chunker.chunkId("a", "b")).isNotEqualTo(Chunker.chunkId("c", "b"));
  }

  @Test
  void aLineOfEmojiLongerThanTheLimitIsCutBetweenCharactersNeverInsideOne() {
    String line =
        "x" + "\uD83D\uDE42".repeat(Chunker.MAX); // one char, then emoji of two chars each

    List<Chunker.Piece> pieces = Chunker.split(line, Language.Style.PROSE);

    assertThat(pieces).hasSizeGreaterThan(1);
    assertThat(String.join("", pieces.stream().map(Chunker.Piece::text).toList())).isEqualTo(line);
    for (Chunker.Piece piece : pieces) {
      assertThat(Character.isHighSurrogate(piece.text().charAt(piece.text().length() - 1)))
          .isFalse();
      assertThat(Character.isLowSurrogate(piece.text().charAt(0))).isFalse();
    }
  }
}
