package dev.helix.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The OpenSearch store's writes: buffered per source (a later write of a source replaces an earlier
 * one not yet sent) and sent in bounded bulks. A source's new chunks go first, then the deletion of
 * its old chunks, then its source document, which lists its chunks; document id = chunk id, so
 * sending the same replacement again (a retry, a crash before the commit) rewrites the same
 * documents and never duplicates one.
 */
final class OpenSearchWrites {
  /**
   * Operations per bulk: 500 chunks of up to ~4000 chars, with their pre-analysed terms, make bulks
   * of a few MB, inside OpenSearch's advice of 5-15 MB per bulk.
   */
  static final int MAX_BULK_OPS = 500;

  /** Bytes per bulk at most, whatever the count: OpenSearch's http.max_content_length is 100 MB. */
  private static final int MAX_BULK_BYTES = 8 * 1024 * 1024;

  /** A source's latest buffered state: its new version, or null when it is deleted. */
  private record Pending(Store.@Nullable Source source, List<Store.Chunk> chunks) {}

  private final OpenSearchHttp http;
  private final ObjectMapper json;
  private final String index;
  private final String owner;
  private final PreAnalysis analysis;
  private final Map<String, Pending> pending = new LinkedHashMap<>();
  private int pendingDocs;

  OpenSearchWrites(
      OpenSearchHttp http, ObjectMapper json, String index, String owner, PreAnalysis analysis) {
    this.http = http;
    this.json = json;
    this.index = index;
    this.owner = owner;
    this.analysis = analysis;
  }

  void replace(Store.Source source, List<Store.Chunk> chunks) throws IOException {
    boolean full;
    synchronized (this) {
      pending.put(source.path(), new Pending(source, List.copyOf(chunks)));
      pendingDocs += chunks.size() + 1;
      full = pendingDocs >= MAX_BULK_OPS;
    }
    if (full) {
      flush();
    }
  }

  void delete(String source) throws IOException {
    synchronized (this) {
      pending.put(source, new Pending(null, List.of()));
      pendingDocs++;
    }
  }

  /**
   * Sends everything buffered. On failure what was not sent is buffered again (unless written anew
   * meanwhile), so the next flush or commit retries it.
   */
  synchronized void flush() throws IOException {
    if (pending.isEmpty()) {
      return;
    }
    Map<String, Pending> batch = new LinkedHashMap<>(pending);
    pending.clear();
    pendingDocs = 0;
    try {
      send(batch);
    } catch (IOException | RuntimeException e) {
      batch.forEach(pending::putIfAbsent);
      pendingDocs = pending.values().stream().mapToInt(p -> p.chunks().size() + 1).sum();
      throw e;
    }
  }

  private void send(Map<String, Pending> batch) throws IOException {
    Map<String, Set<String>> old = storedChunks(batch.keySet());
    Bulk bulk = new Bulk();
    for (Map.Entry<String, Pending> e : batch.entrySet()) {
      Pending p = e.getValue();
      Set<String> stale = new HashSet<>(old.getOrDefault(e.getKey(), Set.of()));
      if (p.source() != null) {
        String pathWords =
            analysis.indexed(Fields.pathWords(p.source().path(), !p.source().file()));
        for (Store.Chunk c : p.chunks()) {
          stale.remove(c.id());
          bulk.index(
              OpenSearchLayout.chunkId(owner, c.id()),
              OpenSearchLayout.chunkDoc(json, owner, c, pathWords, analysis));
        }
        for (String id : stale) {
          bulk.delete(OpenSearchLayout.chunkId(owner, id));
        }
        bulk.index(
            OpenSearchLayout.sourceId(owner, e.getKey()),
            OpenSearchLayout.sourceDoc(json, owner, p.source(), p.chunks(), pathWords, analysis));
      } else {
        for (String id : stale) {
          bulk.delete(OpenSearchLayout.chunkId(owner, id));
        }
        bulk.delete(OpenSearchLayout.sourceId(owner, e.getKey()));
      }
    }
    bulk.finish();
  }

  /**
   * The chunk ids the stored source documents list (a real-time read: it sees writes not yet
   * refreshed).
   */
  private Map<String, Set<String>> storedChunks(Set<String> sources) throws IOException {
    ObjectNode body = json.createObjectNode();
    var ids = body.putArray("ids");
    sources.forEach(s -> ids.add(OpenSearchLayout.sourceId(owner, s)));
    JsonNode r =
        http.call(
            "POST",
            "/" + OpenSearchStore.enc(index) + "/_mget?_source_includes=source,meta.chunks",
            body);
    Map<String, Set<String>> out = new LinkedHashMap<>();
    for (JsonNode d : r.path("docs")) {
      if (d.path("found").asBoolean()) {
        Set<String> chunks = new HashSet<>();
        d.path("_source").path("meta").path("chunks").forEach(c -> chunks.add(c.asText()));
        out.put(d.path("_source").path("source").asText(), chunks);
      }
    }
    return out;
  }

  /**
   * Bulk operations in order, sent whenever {@link #MAX_BULK_OPS} or {@link #MAX_BULK_BYTES} is
   * reached.
   */
  private final class Bulk {
    private final List<byte[]> ops = new ArrayList<>();
    private int bytes;

    void index(String id, ObjectNode doc) throws IOException {
      add(json.writeValueAsBytes(action("index", id)), json.writeValueAsBytes(doc));
    }

    void delete(String id) throws IOException {
      add(json.writeValueAsBytes(action("delete", id)), null);
    }

    private ObjectNode action(String verb, String id) {
      ObjectNode a = json.createObjectNode();
      a.putObject(verb).put("_id", id);
      return a;
    }

    private void add(byte[] action, byte @Nullable [] doc) throws IOException {
      ByteArrayOutputStream op = new ByteArrayOutputStream();
      op.write(action);
      op.write('\n');
      if (doc != null) {
        op.write(doc);
        op.write('\n');
      }
      if (!ops.isEmpty() && (ops.size() >= MAX_BULK_OPS || bytes + op.size() > MAX_BULK_BYTES)) {
        finish();
      }
      ops.add(op.toByteArray());
      bytes += op.size();
    }

    /**
     * Sends the operations so far; operations the cluster turned away as busy (429, 503) are sent
     * again after a back-off, any other failed one fails the write.
     */
    void finish() throws IOException {
      List<byte[]> todo = new ArrayList<>(ops);
      ops.clear();
      bytes = 0;
      Duration wait = http.firstBackoff();
      for (int attempt = 1; !todo.isEmpty(); attempt++) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] op : todo) {
          body.write(op);
        }
        JsonNode r = http.bulk("/" + OpenSearchStore.enc(index) + "/_bulk", body.toByteArray());
        if (!r.path("errors").asBoolean()) {
          return;
        }
        List<byte[]> busy = new ArrayList<>();
        JsonNode items = r.path("items");
        for (int i = 0; i < items.size(); i++) {
          JsonNode item = items.get(i).elements().next();
          int status = item.path("status").asInt();
          if (status == 429 || status == 503) {
            busy.add(todo.get(i));
          } else if (status / 100 != 2 && !(status == 404 && items.get(i).has("delete"))) {
            throw new IOException(
                "the OpenSearch cluster at "
                    + http.url()
                    + " refused to write document "
                    + item.path("_id").asText()
                    + " of index "
                    + index
                    + " with "
                    + status
                    + " ("
                    + item.path("error").path("reason").asText(item.path("error").toString())
                    + "); see the cluster's log");
          }
        }
        if (!busy.isEmpty() && attempt >= http.tries()) {
          throw new IOException(
              "the OpenSearch cluster at "
                  + http.url()
                  + " stayed too busy (429/503) to take "
                  + busy.size()
                  + " writes after "
                  + attempt
                  + " tries; nothing unsent is acknowledged: retry later");
        }
        if (!busy.isEmpty()) {
          http.sleep(wait);
          wait = wait.multipliedBy(2);
        }
        todo = busy;
      }
    }
  }
}
