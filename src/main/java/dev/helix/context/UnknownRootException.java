package dev.helix.context;

import java.util.List;

/** A root name the store does not hold; the message lists the names it does. */
public final class UnknownRootException extends IllegalArgumentException {
  private final List<String> known;

  public UnknownRootException(String name, List<String> known) {
    super(
        "there is no root named '"
            + name
            + "'; "
            + (known.isEmpty()
                ? "the store has no roots yet: run helix ingest PATH"
                : "known roots: " + String.join(", ", known) + " (helix roots lists them)"));
    this.known = List.copyOf(known);
  }

  /** The names the store holds. */
  public List<String> known() {
    return known;
  }
}
