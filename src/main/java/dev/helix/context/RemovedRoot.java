package dev.helix.context;

import java.util.LinkedHashMap;
import java.util.Map;

/** What removing a root took from the store: {@code DELETE /roots/{name}}'s answer. */
public record RemovedRoot(String name, long sources, long chunks) {
  /** {@code {"removed": {"sources", "chunks"}}}. */
  public Map<String, Object> toJson() {
    Map<String, Object> removed = new LinkedHashMap<>();
    removed.put("sources", sources);
    removed.put("chunks", chunks);
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("removed", removed);
    return json;
  }
}
