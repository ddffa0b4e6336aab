package dev.helix.compress;

import java.util.Objects;

/**
 * One piece of a text the packer may keep or drop: a line, a sentence, or a run of folded lines.
 *
 * @param text what is shown when kept, with its own trailing separator (newline or space)
 * @param priority higher is kept first (see {@link Signals})
 * @param count how many lines or sentences of the input it stands for, for the omission notes
 */
record Unit(String text, double priority, int count) {
  Unit {
    Objects.requireNonNull(text, "text");
    if (count < 1) {
      throw new IllegalArgumentException("count must be at least 1, was " + count);
    }
  }

  Unit(String text, double priority) {
    this(text, priority, 1);
  }
}
