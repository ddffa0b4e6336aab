package dev.helix.context;

import java.util.LinkedHashMap;
import java.util.Map;

/** The store's totals, as in {@code GET /stats} and the {@code store} object of status and ingest. */
public record StoreStats(long chunks, long sources, long storeBytes) {
  /** {@code {chunks, sources, store_bytes}}. */
  public Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("chunks", chunks);
    json.put("sources", sources);
    json.put("store_bytes", storeBytes);
    return json;
  }
}
