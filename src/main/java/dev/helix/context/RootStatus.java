package dev.helix.context;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A root as {@code GET /roots} shows it (docs/workspaces.md): where it is, what the store holds of it, and
 * whether it is in sync. {@code pending} and {@code watching} come from a running server's watcher;
 * elsewhere they are 0 and false.
 */
public record RootStatus(
    String name,
    String path,
    long files,
    long chunks,
    long bytes,
    State state,
    long lastSyncMillis,
    long pending,
    boolean watching,
    @Nullable String error) {

  /** How a root stands against its folder. */
  public enum State {
    SYNCED, SYNCING, GONE, ERROR;

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
  public RootStatus live(long pending, boolean watching, @Nullable State state, @Nullable String error) {
    return new RootStatus(name, path, files, chunks, bytes, state == null ? this.state : state, lastSyncMillis, pending,
        watching, error == null ? this.error : error);
  }

  /** {@code {name, path, files, chunks, bytes, state, last_sync, pending, watching, error?}}. */
  public Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("name", name);
    json.put("path", path);
    json.put("files", files);
    json.put("chunks", chunks);
    json.put("bytes", bytes);
    json.put("state", state.word());
    json.put("last_sync", lastSyncMillis > 0 ? Instant.ofEpochMilli(lastSyncMillis).toString() : null);
    json.put("pending", pending);
    json.put("watching", watching);
    if (error != null) {
      json.put("error", error);
    }
    return json;
  }
}
