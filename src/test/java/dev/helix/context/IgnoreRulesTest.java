package dev.helix.context;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class IgnoreRulesTest {
  private final Path root = Path.of("/repo");

  private boolean ignored(List<String> rules, String rel, boolean dir) {
    return IgnoreRules.of(root, rules).ignored(root.resolve(rel), dir);
  }

  @Test
  void aPlainNameMatchesAtAnyDepth() {
    assertThat(ignored(List.of("*.log"), "a/b/c.log", false)).isTrue();
    assertThat(ignored(List.of("*.log"), "c.txt", false)).isFalse();
  }

  @Test
  void aLeadingSlashAnchorsToTheIgnoreFilesFolder() {
    assertThat(ignored(List.of("/build"), "build", true)).isTrue();
    assertThat(ignored(List.of("/build"), "sub/build", true)).isFalse();
  }

  @Test
  void aTrailingSlashMatchesFoldersOnly() {
    assertThat(ignored(List.of("out/"), "out", true)).isTrue();
    assertThat(ignored(List.of("out/"), "out", false)).isFalse();
  }

  @Test
  void negationReincludesAndTheLastMatchWins() {
    List<String> rules = List.of("*.md", "!README.md");
    assertThat(ignored(rules, "docs/a.md", false)).isTrue();
    assertThat(ignored(rules, "README.md", false)).isFalse();
  }

  @Test
  void doubleStarSpansFolders() {
    assertThat(ignored(List.of("**/gen/*.java"), "a/b/gen/X.java", false)).isTrue();
    assertThat(ignored(List.of("docs/**/*.png"), "docs/x/y/z.png", false)).isTrue();
    assertThat(ignored(List.of("docs/**/*.png"), "img/z.png", false)).isFalse();
  }

  @Test
  void commentsBlankLinesAndCharacterClassesWork() {
    List<String> rules = List.of("# comment", "", "file[0-9].txt", "?.tmp");
    assertThat(ignored(rules, "file7.txt", false)).isTrue();
    assertThat(ignored(rules, "filex.txt", false)).isFalse();
    assertThat(ignored(rules, "a.tmp", false)).isTrue();
    assertThat(ignored(rules, "# comment", false)).isFalse();
  }
}
