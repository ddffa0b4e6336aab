package dev.helix.context;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Why a query is a miss. */
public enum MissReason {
  /** Nothing in the store matched. */
  NO_MATCH,
  /** Something matched, but too weakly to trust. */
  SPARSE,
  /** The best source changed on disk after it was indexed, or is gone. */
  STALE;

  /** The reason as it appears in JSON. */
  @JsonValue
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }
}
