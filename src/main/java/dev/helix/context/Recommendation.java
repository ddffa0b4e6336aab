package dev.helix.context;

import java.util.Locale;

/** What the caller should do with the window. */
public enum Recommendation {
  TRUST, VERIFY, REFRESH, ESCALATE;

  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }
}
