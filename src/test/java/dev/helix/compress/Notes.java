package dev.helix.compress;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the omission notes back out of a compressed text, to check that their counts are honest.
 */
final class Notes {
  private static final Pattern NOTE = Pattern.compile("\\[… (\\d+) (\\w+?)s? omitted …\\]");

  private Notes() {}

  /** The sum of the counts of all notes about {@code unit} ("line", "item", "sentence", "key"). */
  static int omitted(String text, String unit) {
    Matcher m = NOTE.matcher(text);
    int total = 0;
    while (m.find()) {
      if (m.group(2).equals(unit)) {
        total += Integer.parseInt(m.group(1));
      }
    }
    return total;
  }

  /** The text with every note line removed. */
  static String withoutNotes(String text) {
    return NOTE.matcher(text).replaceAll("");
  }
}
