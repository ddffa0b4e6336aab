package dev.helix.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Every effective setting by dotted key ({@code server.port}), in the order of the reference. */
public record Settings(Map<String, Setting> byKey) {
  public Settings {
    byKey = Collections.unmodifiableMap(new LinkedHashMap<>(byKey));
  }

  /** The setting with this dotted key, if it exists. */
  public Optional<Setting> get(String key) {
    return Optional.ofNullable(byKey.get(key));
  }

  /** Where the value of this key came from; {@code default} for unknown keys. */
  public String sourceOf(String key) {
    return get(key).map(Setting::source).orElse("default");
  }
}
