package dev.helix.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Fuzz target for the tri-state switches of docs/configuration.md, against an oracle written from
 * the spec's words (trim, ASCII case-insensitive, four true words, four known false words) rather
 * than from the code.
 */
class SwitchesFuzzTest {
  private static final Set<String> TRUE = Set.of("1", "true", "yes", "on");
  private static final Set<String> FALSE = Set.of("0", "false", "no", "off");

  @FuzzTest
  void anyValueIsUnsetTrueOrFalseExactlyAsTheSpecSays(FuzzedDataProvider data) {
    String raw = data.consumeBoolean() ? null : data.consumeRemainingAsString();
    List<String> warnings = new ArrayList<>();

    Boolean triState = Switches.triState("HELIX_HEADROOM_ENABLED", raw, warnings::add);
    boolean truthy = Switches.truthy("HELIX_DISABLE_HEADROOM", raw, warnings::add);

    if (raw == null || raw.isEmpty()) {
      assertThat(triState).as("unset or empty means: use the config").isNull();
      assertThat(truthy).isFalse();
      assertThat(warnings).isEmpty();
      return;
    }
    String word = asciiLower(raw.trim());
    boolean expected = TRUE.contains(word);
    assertThat(triState).as("'%s'", raw).isEqualTo(expected);
    assertThat(truthy).as("'%s'", raw).isEqualTo(expected);
    if (TRUE.contains(word) || FALSE.contains(word)) {
      assertThat(warnings).isEmpty();
    } else {
      assertThat(warnings).hasSize(2);
      assertThat(warnings.get(0)).startsWith("HELIX_HEADROOM_ENABLED=");
      assertThat(warnings.get(1)).startsWith("HELIX_DISABLE_HEADROOM=");
    }
  }

  private static String asciiLower(String s) {
    StringBuilder b = new StringBuilder(s.length());
    s.chars().forEach(c -> b.append((char) (c >= 'A' && c <= 'Z' ? c + 32 : c)));
    return b.toString();
  }
}
