package dev.helix.compress;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CodeCompressionTest {
  private static final Tokens TOKENS = new Tokens();
  private final Compression compression = Compression.local(TOKENS);

  private static String javaClass(int methods) {
    StringBuilder out =
        new StringBuilder("package com.acme.billing;\n\nimport java.util.List;\n\n");
    out.append(
        "/** Invoices. */\npublic final class Invoices\n    implements Iterable<String> {\n");
    out.append("  private final List<String> lines;\n\n");
    for (int m = 0; m < methods; m++) {
      out.append("  /** Step ").append(m).append(". */\n");
      out.append("  public int step").append(m).append("(int value) {\n");
      for (int i = 0; i < 12; i++) {
        out.append("    value = value * ")
            .append(i + 3)
            .append(" + \"{\".length(); // body of step")
            .append(m)
            .append('\n');
      }
      out.append("    return value;\n  }\n\n");
    }
    out.append("  public long computeChecksum(byte[] data) {\n    long sum = 17;\n");
    out.append(
        "    for (byte b : data) {\n      sum = sum * 31 + b;\n    }\n    return sum;\n  }\n}\n");
    return out.toString();
  }

  @Test
  void signaturesStayAndOnlyTheQueriedBodyIsKept() {
    String text = javaClass(40);

    CompressionResult result =
        compression.compressLocally(text, 1100, Kind.AUTO, "computeChecksum");

    assertThat(result.kind()).isEqualTo(Kind.CODE);
    assertThat(result.tokens()).isLessThanOrEqualTo(1100);
    assertThat(result.text())
        .contains("package com.acme.billing;")
        .contains("public final class Invoices")
        .contains("private final List<String> lines;")
        .contains("public long computeChecksum(byte[] data) {")
        .contains("sum = sum * 31 + b;");
    for (int m = 0; m < 40; m++) {
      assertThat(result.text()).contains("public int step" + m + "(int value) {");
    }
    assertThat(result.text()).doesNotContain("body of step").contains("lines omitted");
  }

  @Test
  void aCommentOpenerInsideAStringDoesNotHideTheMembersAfterIt() {
    StringBuilder text =
        new StringBuilder("package com.acme.build;\n\npublic final class Sources {\n");
    text.append("  private static final String GLOB = \"src/*.java\";\n\n");
    for (int m = 0; m < 40; m++) {
      text.append("  public int step").append(m).append("(int value) {\n");
      for (int i = 0; i < 12; i++) {
        text.append("    value = value * ").append(i + 3).append(" + GLOB.length();\n");
      }
      text.append("    return value;\n  }\n\n");
    }
    text.append("}\n");

    CompressionResult result = compression.compressLocally(text.toString(), 900, Kind.AUTO, null);

    assertThat(result.tokens()).isLessThanOrEqualTo(900);
    for (int m = 0; m < 40; m++) {
      assertThat(result.text()).contains("public int step" + m + "(int value) {");
    }
  }

  @Test
  void pythonDefsStayAndTheirBodiesGoFirst() {
    StringBuilder text =
        new StringBuilder("import os\n\n\nclass Loader:\n    \"\"\"Loads things.\"\"\"\n\n");
    for (int m = 0; m < 30; m++) {
      text.append("    def load_").append(m).append("(self, path):\n");
      for (int i = 0; i < 10; i++) {
        text.append("        path = os.path.join(path, 'part").append(i).append("')  # body\n");
      }
      text.append("        return path\n\n");
    }
    text.append(
        "def parse_config(text):\n    return dict(line.split('=') for line in text.splitlines())\n");

    CompressionResult result =
        compression.compressLocally(text.toString(), 700, Kind.AUTO, "parse_config");

    assertThat(result.kind()).isEqualTo(Kind.CODE);
    assertThat(result.text())
        .contains("class Loader:")
        .contains("def load_0(self, path):")
        .contains("def load_29(self, path):")
        .contains("return dict(line.split('=') for line in text.splitlines())")
        .contains("lines omitted");
    assertThat(result.tokens()).isLessThanOrEqualTo(700);
  }
}
