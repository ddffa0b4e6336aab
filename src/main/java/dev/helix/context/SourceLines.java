package dev.helix.context;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Lines of a stored source, as {@code GET /source} answers them: from the file as it is now, or
 * from the store when the file is gone; {@code stale} when the file changed since it was indexed.
 */
public record SourceLines(String path, int start, int end, int total, String text, boolean stale) {
  /** {@code {path, start, end, total, text, stale}}. */
  public Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("path", path);
    json.put("start", start);
    json.put("end", end);
    json.put("total", total);
    json.put("text", text);
    json.put("stale", stale);
    return json;
  }
}
