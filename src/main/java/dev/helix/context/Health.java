package dev.helix.context;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Objects;

/** How well the evidence covers a query and how fresh it is; numbers in 0..1. */
public record Health(Status status, double coverage, double freshness) {
  /** The overall state of the evidence. */
  public enum Status {
    ALIGNED,
    SPARSE,
    STALE,
    ABSTAIN;

    /** The status as it appears in JSON. */
    @JsonValue
    public String word() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public Health {
    Objects.requireNonNull(status, "status");
  }
}
