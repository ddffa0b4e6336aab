package dev.helix.context;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The chunks made from posted content. */
public record IngestedContent(List<String> chunkIds) {
  public IngestedContent {
    chunkIds = List.copyOf(chunkIds);
  }

  /** {@code {chunk_ids, count}}. */
  public Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("chunk_ids", chunkIds);
    json.put("count", chunkIds.size());
    return json;
  }
}
