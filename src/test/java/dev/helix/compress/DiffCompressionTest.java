package dev.helix.compress;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DiffCompressionTest {
  private static final Tokens TOKENS = new Tokens();
  private final Compression compression = Compression.local(TOKENS);

  /** A diff of {@code files} files, each with one hunk: 30 context lines around 2 changed lines. */
  private static String diff(int files) {
    StringBuilder out = new StringBuilder();
    for (int f = 0; f < files; f++) {
      String name = "src/main/java/app/Module" + f + ".java";
      out.append("diff --git a/").append(name).append(" b/").append(name).append('\n');
      out.append("index 3b18e51..a1c9f02 100644\n");
      out.append("--- a/").append(name).append('\n');
      out.append("+++ b/").append(name).append('\n');
      out.append("@@ -10,32 +10,32 @@ class Module").append(f).append(" {\n");
      for (int i = 0; i < 15; i++) {
        out.append("   int context")
            .append(f)
            .append('_')
            .append(i)
            .append(" = ")
            .append(i)
            .append(";\n");
      }
      out.append("-  int limit").append(f).append(" = 10;\n");
      out.append("+  int limit").append(f).append(" = 20;\n");
      for (int i = 15; i < 30; i++) {
        out.append("   int context")
            .append(f)
            .append('_')
            .append(i)
            .append(" = ")
            .append(i)
            .append(";\n");
      }
    }
    return out.toString();
  }

  @Test
  void fileHeadersAndChangedLinesSurviveWhileFarContextGoes() {
    String text = diff(20);

    CompressionResult result = compression.compressLocally(text, 3000, Kind.AUTO, null);

    assertThat(result.kind()).isEqualTo(Kind.DIFF);
    assertThat(result.tokens()).isLessThanOrEqualTo(3000);
    for (int f = 0; f < 20; f++) {
      assertThat(result.text())
          .contains("diff --git a/src/main/java/app/Module" + f + ".java")
          .contains("-  int limit" + f + " = 10;")
          .contains("+  int limit" + f + " = 20;");
      assertThat(result.text()).doesNotContain("int context" + f + "_0 = 0;");
    }
  }

  @Test
  void theHunkThatMatchesTheQueryKeepsItsContext() {
    String text = diff(40);

    String out = compression.compressLocally(text, 600, Kind.DIFF, "context7_3").text();

    assertThat(out).contains("   int context7_3 = 3;");
    assertThat(TOKENS.count(out)).isLessThanOrEqualTo(600);
  }

  @Test
  void omittedContextIsCountedInTheNotes() {
    String text = diff(10);

    String out = compression.compressLocally(text, 500, Kind.DIFF, null).text();

    int keptLines =
        (int) Lines.split(Notes.withoutNotes(out)).stream().filter(l -> !l.isBlank()).count();
    assertThat(keptLines + Notes.omitted(out, "line")).isEqualTo(Lines.split(text).size());
  }
}
