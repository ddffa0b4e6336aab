package dev.helix.compress;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokensTest {
  private final Tokens tokens = new Tokens();

  @Test
  void truncateGivesTheLongestPrefixWithinTheLimit() {
    String text = "The quick brown fox jumps over the lazy dog. ".repeat(50) + "日本語🙂";

    for (int limit : new int[] {1, 2, 7, 100, 449}) {
      String prefix = tokens.truncate(text, limit);
      assertThat(text).startsWith(prefix);
      assertThat(tokens.count(prefix)).isLessThanOrEqualTo(limit);
      assertThat(prefix.length()).isGreaterThan(0);
    }
    assertThat(tokens.truncate(text, 100_000)).isEqualTo(text);
    assertThat(tokens.truncate(text, 0)).isEmpty();
  }

  @Test
  void countWithinGivesTheCountUpToTheLimitAndMinusOneBeyondIt() {
    String text = "The quick brown fox jumps over the lazy dog. ".repeat(50);
    int all = tokens.count(text);

    assertThat(tokens.countWithin(text, all)).isEqualTo(all);
    assertThat(tokens.countWithin(text, all - 1))
        .isEqualTo(-1); // counted whole: short for the limit
    assertThat(tokens.countWithin(text, 3)).isEqualTo(-1); // encoded up to the limit only
    assertThat(tokens.countWithin("", 0)).isZero();
    assertThat(tokens.countWithin("a", 0)).isEqualTo(-1);
  }
}
