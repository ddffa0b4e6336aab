package dev.helix.compress;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DetectionTest {
  private final Detector detector =
      new Detector(new JsonCompressor(new Tokens(), new Packer(new Tokens())));

  @Test
  void jsonIsRecognisedByParsingNotByItsFirstCharacter() {
    assertThat(detector.detect("  [{\"a\": 1}, {\"a\": 2}]\n")).isEqualTo(Kind.JSON);
    assertThat(detector.detect("{\"a\": ")).isNotEqualTo(Kind.JSON);
  }

  @Test
  void unifiedDiffsAndGitLogPatchesAreDiffs() {
    String diff =
        "commit 1c20a45\nAuthor: A <a@b>\n\n    Fix\n\ndiff --git a/x b/x\nindex 1..2 100644\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n";
    assertThat(detector.detect(diff)).isEqualTo(Kind.DIFF);
  }

  @Test
  void buildOutputAndStackTracesAreLogs() {
    String log =
        "[INFO] Scanning for projects...\n[INFO] Building helix 0.1.0\n[WARNING] deprecated API\n"
            + "[ERROR] Tests run: 3, Failures: 1\n";
    assertThat(detector.detect(log)).isEqualTo(Kind.LOG);
    assertThat(
            detector.detect("2024-05-01 12:00:01 INFO started\n2024-05-01 12:00:02 ERROR boom\n"))
        .isEqualTo(Kind.LOG);
  }

  @Test
  void sourceFilesAreCodeEvenUnderALicenseHeader() {
    String code =
        "/*\n * Licensed under the terms of the licence, which is long.\n * More words here about it.\n */\n"
            + "package a;\n\nimport java.util.List;\n\npublic class A {\n  int x;\n  void f() {\n    x++;\n  }\n}\n";
    assertThat(detector.detect(code)).isEqualTo(Kind.CODE);
    assertThat(detector.detect("def f(x):\n    return x\n\nclass A:\n    pass\n"))
        .isEqualTo(Kind.CODE);
  }

  @Test
  void paragraphsAreProse() {
    String prose =
        "helix keeps a searchable store of your files. It answers with a cited window.\n\n"
            + "When it does not know, it says so, and tells the agent where to look instead.\n";
    assertThat(detector.detect(prose)).isEqualTo(Kind.PROSE);
  }
}
