package dev.helix.context;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What an evidence packet is for; riskier tasks get a stricter freshness bar. */
public enum TaskType {
  EXPLAIN,
  REVIEW,
  EDIT,
  DEBUG,
  OPS;

  /** The word used in JSON. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a JSON word; the error lists the allowed values. */
  public static TaskType parse(String word) {
    for (TaskType t : values()) {
      if (t.word().equals(word)) {
        return t;
      }
    }
    throw new IllegalArgumentException(
        "task_type '"
            + word
            + "' is not one of "
            + Arrays.stream(values()).map(TaskType::word).collect(Collectors.joining(", ")));
  }
}
