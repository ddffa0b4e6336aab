package dev.helix.context;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What the caller should do with the window. */
public enum Recommendation {
  TRUST,
  VERIFY,
  REFRESH,
  ESCALATE;

  /** The recommendation as it appears in JSON. */
  @JsonValue
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }
}
