package dev.helix.context;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What kind of content is ingested: it picks the chunker. */
public enum ContentType {
  TEXT,
  CODE,
  CONVERSATION;

  /** The word used in JSON. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a JSON word; the error lists the allowed values. */
  public static ContentType parse(String word) {
    for (ContentType t : values()) {
      if (t.word().equals(word)) {
        return t;
      }
    }
    throw new IllegalArgumentException(
        "content_type '"
            + word
            + "' is not one of "
            + Arrays.stream(values()).map(ContentType::word).collect(Collectors.joining(", ")));
  }
}
