package dev.helix.context;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** The chunks made from posted content; in JSON {@code {chunk_ids, count}}. */
public record IngestedContent(List<String> chunkIds) {
  @JsonCreator
  public IngestedContent(@JsonProperty("chunk_ids") List<String> chunkIds) {
    this.chunkIds = List.copyOf(chunkIds);
  }

  /** How many chunks were made. */
  @JsonProperty("count")
  public int count() {
    return chunkIds.size();
  }
}
