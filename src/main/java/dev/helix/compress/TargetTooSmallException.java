package dev.helix.compress;

/**
 * A JSON document that no valid JSON within the target can stand for: even its outline (the top
 * level's keys or items replaced by a note of how many were left out) takes more tokens. helix
 * refuses rather than print text with unbalanced braces (issue 20); {@link #smallest} is the target
 * that works.
 */
public final class TargetTooSmallException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final int target;
  private final int smallest;

  TargetTooSmallException(int target, int smallest) {
    super(message("target", target, smallest));
    if (smallest <= target) {
      throw new IllegalArgumentException(
          "smallest (" + smallest + ") must be above the target (" + target + ")");
    }
    this.target = target;
    this.smallest = smallest;
  }

  /**
   * What failed and what to do, with the target named as the caller knows it: {@code "target"} in a
   * request body, {@code "--target"} on the command line.
   */
  public String messageFor(String name) {
    return message(name, target, smallest);
  }

  private static String message(String name, int target, int smallest) {
    return name
        + " "
        + target
        + " is too small for valid JSON: the smallest rendering of this document (its"
        + " outline, with notes of what was left out) takes "
        + smallest
        + " tokens; use "
        + name
        + " "
        + smallest
        + " or more";
  }

  /** The target that was asked for. */
  public int target() {
    return target;
  }

  /** The smallest target at which the document compresses to valid JSON. */
  public int smallest() {
    return smallest;
  }
}
