package dev.helix.context;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A root as {@code GET /roots} shows it (docs/workspaces.md): where it is, what the store holds of
 * it, and whether it is in sync. {@code pending} and {@code watching} come from a running server's
 * watcher; elsewhere they are 0 and false. In JSON {@code {name, path, files, chunks, bytes, state,
 * last_sync, pending, watching, error?}}, {@code last_sync} an ISO-8601 instant or null.
 */
@JsonPropertyOrder({
  "name",
  "path",
  "files",
  "chunks",
  "bytes",
  "state",
  "last_sync",
  "pending",
  "watching",
  "error"
})
public record RootStatus(
    String name,
    String path,
    long files,
    long chunks,
    long bytes,
    State state,
    @JsonIgnore long lastSyncMillis,
    long pending,
    boolean watching,
    @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String error) {

  /** How a root stands against its folder. */
  public enum State {
    SYNCED,
    SYNCING,
    GONE,
    ERROR;

    /** The state as it appears in JSON. */
    @JsonValue
    public String word() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public RootStatus {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(state, "state");
  }

  /** This root as a watcher sees it: its queue, whether it is watched, and a warning or error. */
  public RootStatus live(
      long pending, boolean watching, @Nullable State state, @Nullable String error) {
    return new RootStatus(
        name,
        path,
        files,
        chunks,
        bytes,
        state == null ? this.state : state,
        lastSyncMillis,
        pending,
        watching,
        error == null ? this.error : error);
  }

  /** When the root was last in sync, as JSON gives it; null when never. */
  @JsonProperty("last_sync")
  public @Nullable String lastSync() {
    return lastSyncMillis > 0 ? Instant.ofEpochMilli(lastSyncMillis).toString() : null;
  }

  /** A root as a server listed it. */
  @JsonCreator
  static RootStatus read(
      @JsonProperty("name") String name,
      @JsonProperty("path") String path,
      @JsonProperty("files") long files,
      @JsonProperty("chunks") long chunks,
      @JsonProperty("bytes") long bytes,
      @JsonProperty("state") State state,
      @JsonProperty("last_sync") @Nullable String lastSync,
      @JsonProperty("pending") long pending,
      @JsonProperty("watching") boolean watching,
      @JsonProperty("error") @Nullable String error) {
    return new RootStatus(
        name,
        path,
        files,
        chunks,
        bytes,
        state,
        lastSync == null ? 0 : Instant.parse(lastSync).toEpochMilli(),
        pending,
        watching,
        error);
  }
}
