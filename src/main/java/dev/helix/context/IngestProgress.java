package dev.helix.context;

/** Told of each file an ingest finishes, so a terminal can draw a progress bar. */
@FunctionalInterface
public interface IngestProgress {
  /** Reports nothing. */
  IngestProgress NONE = (done, total, bytes) -> {};

  void update(long filesDone, long filesTotal, long bytesDone);
}
