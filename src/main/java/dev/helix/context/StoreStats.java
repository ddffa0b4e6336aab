package dev.helix.context;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * The store's totals, as in {@code GET /stats} and the {@code store} object of status and ingest:
 * {@code {chunks, sources, store_bytes, vectors_pending?}}. {@code vectorsPending}: chunks still
 * waiting for their vector, null (and left out of JSON) when vectors are off or not counted (an
 * ingest's report).
 */
public record StoreStats(
    long chunks,
    long sources,
    long storeBytes,
    @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Long vectorsPending) {
  /** Totals without a count of pending vectors. */
  public StoreStats(long chunks, long sources, long storeBytes) {
    this(chunks, sources, storeBytes, null);
  }
}
