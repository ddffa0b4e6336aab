package dev.helix.context;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The store's totals, as in {@code GET /stats} and the {@code store} object of status and ingest;
 * {@code vectorsPending}: chunks still waiting for their vector, null when vectors are off or not
 * counted (an ingest's report).
 */
public record StoreStats(long chunks, long sources, long storeBytes, @Nullable Long vectorsPending) {
  /** Totals without a count of pending vectors. */
  public StoreStats(long chunks, long sources, long storeBytes) {
    this(chunks, sources, storeBytes, null);
  }

  /** {@code {chunks, sources, store_bytes}}, and {@code vectors_pending} when counted. */
  public Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("chunks", chunks);
    json.put("sources", sources);
    json.put("store_bytes", storeBytes);
    if (vectorsPending != null) {
      json.put("vectors_pending", vectorsPending);
    }
    return json;
  }
}
