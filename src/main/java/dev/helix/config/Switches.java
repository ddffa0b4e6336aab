package dev.helix.config;

import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/** The tri-state and truthy parsing of helix's environment switches (docs/configuration.md). */
public final class Switches {
  private static final Set<String> TRUE = Set.of("1", "true", "yes", "on");
  private static final Set<String> FALSE = Set.of("0", "false", "no", "off");

  private Switches() {}

  /**
   * Null when the value is unset or empty ("use the config"); otherwise true for {@code 1, true,
   * yes, on} (trimmed, any case) and false for anything else. A value that is neither a known true
   * nor a known false word is reported to {@code warn}, naming the variable.
   */
  public static @Nullable Boolean triState(
      String name, @Nullable String raw, Consumer<String> warn) {
    if (raw == null || raw.isEmpty()) {
      return null;
    }
    return truthy(name, raw, warn);
  }

  /** True for {@code 1, true, yes, on} (trimmed, any case); unset or empty is false. */
  public static boolean truthy(String name, @Nullable String raw, Consumer<String> warn) {
    if (raw == null || raw.isEmpty()) {
      return false;
    }
    String word = raw.trim().toLowerCase(Locale.ROOT);
    if (TRUE.contains(word)) {
      return true;
    }
    if (!FALSE.contains(word)) {
      warn.accept(
          name
              + "='"
              + raw
              + "' is not one of 1/true/yes/on or 0/false/no/off; treating it as false");
    }
    return false;
  }
}
