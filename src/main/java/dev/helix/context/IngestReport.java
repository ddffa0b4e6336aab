package dev.helix.context;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * What an ingest did, as printed by {@code helix ingest --json} and answered by {@code POST
 * /ingest} with {@code paths}: {@code {files, unchanged, removed, skipped{binary, too_large},
 * chunks, bytes, mb, seconds, mb_per_s, store{chunks, sources, store_bytes}, roots}}.
 *
 * @param files files indexed (new or changed)
 * @param unchanged files skipped because they had not changed
 * @param removed files deleted from the store because they vanished
 * @param skippedBinary binary files skipped
 * @param skippedTooLarge files over {@code [store] max_file_bytes} skipped
 * @param roots the names of the roots the ingest recorded or synced (docs/workspaces.md)
 */
@JsonPropertyOrder({
  "files",
  "unchanged",
  "removed",
  "skipped",
  "chunks",
  "bytes",
  "mb",
  "seconds",
  "mb_per_s",
  "store",
  "roots"
})
public record IngestReport(
    long files,
    long unchanged,
    long removed,
    @JsonIgnore long skippedBinary,
    @JsonIgnore long skippedTooLarge,
    long chunks,
    long bytes,
    double seconds,
    StoreStats store,
    List<String> roots) {

  public IngestReport {
    roots = List.copyOf(roots);
  }

  /** A report that names no root (an ingest of changes a watcher saw). */
  public IngestReport(
      long files,
      long unchanged,
      long removed,
      long skippedBinary,
      long skippedTooLarge,
      long chunks,
      long bytes,
      double seconds,
      StoreStats store) {
    this(
        files,
        unchanged,
        removed,
        skippedBinary,
        skippedTooLarge,
        chunks,
        bytes,
        seconds,
        store,
        List.of());
  }

  /** This report, naming {@code names} as its roots. */
  public IngestReport withRoots(List<String> names) {
    return new IngestReport(
        files,
        unchanged,
        removed,
        skippedBinary,
        skippedTooLarge,
        chunks,
        bytes,
        seconds,
        store,
        names);
  }

  /** The files skipped, as JSON groups them. */
  public record Skipped(long binary, long tooLarge) {}

  /** The files skipped. */
  @JsonProperty("skipped")
  public Skipped skipped() {
    return new Skipped(skippedBinary, skippedTooLarge);
  }

  /** The bytes indexed, in MiB. */
  @JsonProperty("mb")
  public double mb() {
    return bytes / 1_048_576.0;
  }

  /** The indexing rate in MiB a second; 0 when no time passed. */
  @JsonProperty("mb_per_s")
  public double mbPerSecond() {
    return seconds > 0 ? mb() / seconds : 0.0;
  }

  /** A report as a server sent it ({@code mb} and {@code mb_per_s} follow from the rest). */
  @JsonCreator
  static IngestReport read(
      @JsonProperty("files") long files,
      @JsonProperty("unchanged") long unchanged,
      @JsonProperty("removed") long removed,
      @JsonProperty("skipped") Skipped skipped,
      @JsonProperty("chunks") long chunks,
      @JsonProperty("bytes") long bytes,
      @JsonProperty("seconds") double seconds,
      @JsonProperty("store") StoreStats store,
      @JsonProperty("roots") List<String> roots) {
    return new IngestReport(
        files,
        unchanged,
        removed,
        skipped == null ? 0 : skipped.binary(),
        skipped == null ? 0 : skipped.tooLarge(),
        chunks,
        bytes,
        seconds,
        store,
        roots == null ? List.of() : roots);
  }
}
