package dev.helix.context;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an ingest did, as printed by {@code helix ingest --json} and answered by {@code POST /ingest}
 * with {@code paths}.
 *
 * @param files files indexed (new or changed)
 * @param unchanged files skipped because they had not changed
 * @param removed files deleted from the store because they vanished
 * @param skippedBinary binary files skipped
 * @param skippedTooLarge files over {@code [store] max_file_bytes} skipped
 * @param roots the names of the roots the ingest recorded or synced (docs/workspaces.md)
 */
public record IngestReport(
    long files,
    long unchanged,
    long removed,
    long skippedBinary,
    long skippedTooLarge,
    long chunks,
    long bytes,
    double seconds,
    StoreStats store,
    List<String> roots) {

  public IngestReport {
    roots = List.copyOf(roots);
  }

  /** A report that names no root (an ingest of changes a watcher saw). */
  public IngestReport(long files, long unchanged, long removed, long skippedBinary, long skippedTooLarge, long chunks,
      long bytes, double seconds, StoreStats store) {
    this(files, unchanged, removed, skippedBinary, skippedTooLarge, chunks, bytes, seconds, store, List.of());
  }

  /** This report, naming {@code names} as its roots. */
  public IngestReport withRoots(List<String> names) {
    return new IngestReport(files, unchanged, removed, skippedBinary, skippedTooLarge, chunks, bytes, seconds, store, names);
  }

  /** The JSON summary, with the store's totals as {@code store{chunks, sources, store_bytes}}. */
  public Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("files", files);
    json.put("unchanged", unchanged);
    json.put("removed", removed);
    Map<String, Object> skipped = new LinkedHashMap<>();
    skipped.put("binary", skippedBinary);
    skipped.put("too_large", skippedTooLarge);
    json.put("skipped", skipped);
    json.put("chunks", chunks);
    json.put("bytes", bytes);
    json.put("mb", bytes / 1_048_576.0);
    json.put("seconds", seconds);
    json.put("mb_per_s", seconds > 0 ? bytes / 1_048_576.0 / seconds : 0.0);
    json.put("store", store.toJson());
    json.put("roots", roots);
    return json;
  }
}
