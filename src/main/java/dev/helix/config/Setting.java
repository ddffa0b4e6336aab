package dev.helix.config;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One effective setting and where it came from.
 *
 * @param value the value as shown to users (tokens already masked as {@code ***})
 * @param source {@code default}, {@code FILE:LINE}, or {@code env:NAME}
 */
public record Setting(String key, @Nullable Object value, String source) {
  public Setting {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(source, "source");
  }
}
