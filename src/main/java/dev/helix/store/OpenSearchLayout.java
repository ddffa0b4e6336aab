package dev.helix.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;

/**
 * The OpenSearch index of helix: its settings and mapping, document ids, and documents to and from
 * helix's records. The layout is the embedded store's ({@link Fields}): chunks, sources and roots
 * in one index, the same text fields, so term statistics, and with them BM25, are the same.
 */
final class OpenSearchLayout {
  static final String KIND_CHUNK = "chunk";
  static final String KIND_SOURCE = "source";
  static final String KIND_ROOT = "root";
  static final String CONTENT = "content";
  static final String PATH = "path";
  static final String FILE_CONTENT = "file_content";

  /** A copy of the document's id that searches can sort on (sorting on _id needs field data). */
  static final String KEY = "key";

  /**
   * Whitespace words up to this long: a word is one position's stacked terms ({@link
   * PreAnalysis#STACK}), each at most 255 chars (CodeAnalyzer's tokenizer); 255 is OpenSearch's
   * default, too short for a long identifier with its parts and stems.
   */
  private static final int MAX_WORD = 65_536;

  private OpenSearchLayout() {}

  /** Creates {@code index} with helix's settings and mapping unless it exists. */
  static void ensureIndex(OpenSearchHttp http, ObjectMapper json, String index) throws IOException {
    String path = "/" + OpenSearchStore.enc(index);
    OpenSearchHttp.Answer head = http.answer("GET", path + "/_mapping", null, "application/json");
    if (head.status() == 200) {
      return;
    }
    if (head.status() != 404) {
      throw http.failure("GET", path + "/_mapping", head);
    }
    OpenSearchHttp.Answer created =
        http.answer("PUT", path, json.writeValueAsBytes(definition(json)), "application/json");
    boolean raced =
        created.status() == 400
            && created
                .body()
                .path("error")
                .path("type")
                .asText()
                .equals("resource_already_exists_exception");
    if (!raced) {
      http.requireOk("PUT", path, created);
    }
  }

  /** The index's settings and mapping. */
  static ObjectNode definition(ObjectMapper json) {
    ObjectNode root = json.createObjectNode();
    ObjectNode settings = root.putObject("settings").putObject("index");
    // One shard: BM25's statistics are then the whole index's, as in the embedded store, and a
    // code base's chunks fit one shard by far.
    settings.put("number_of_shards", 1);
    settings.put("auto_expand_replicas", "0-1");
    // As the embedded store: a write is searchable within about half a second without a commit.
    settings.put("refresh_interval", "500ms");
    ObjectNode analysis = settings.putObject("analysis");
    analysis
        .putObject("tokenizer")
        .putObject("helix_words")
        .put("type", "whitespace")
        .put("max_token_length", MAX_WORD);
    ObjectNode unstack = analysis.putObject("filter").putObject("helix_unstack");
    unstack.put("type", "pattern_capture").put("preserve_original", false);
    unstack.putArray("patterns").add("([^" + PreAnalysis.STACK + "]+)");
    ObjectNode analyzer = analysis.putObject("analyzer").putObject("helix_preanalysed");
    analyzer.put("type", "custom").put("tokenizer", "helix_words");
    analyzer.putArray("filter").add("helix_unstack");

    ObjectNode mappings = root.putObject("mappings");
    mappings.put("dynamic", "strict");
    ObjectNode props = mappings.putObject("properties");
    for (String keyword : List.of("kind", KEY, "owner", "source", "id")) {
      props.putObject(keyword).put("type", "keyword");
    }
    for (String text : List.of(CONTENT, PATH, FILE_CONTENT)) {
      // Frequencies and norms, no positions: all BM25 reads, as the embedded store's fields.
      props
          .putObject(text)
          .put("type", "text")
          .put("analyzer", "helix_preanalysed")
          .put("index_options", "freqs");
    }
    props.putObject("meta").put("type", "object").put("enabled", false);
    return root;
  }

  static String chunkId(String owner, String chunk) {
    return "c:" + Hashes.short16(owner) + ":" + chunk;
  }

  static String sourceId(String owner, String path) {
    return "s:" + Hashes.short16(owner) + ":" + Hashes.full(path);
  }

  static String rootId(String owner, String name) {
    return "r:" + Hashes.short16(owner) + ":" + Hashes.full(name);
  }

  static ObjectNode chunkDoc(
      ObjectMapper json, String owner, Store.Chunk c, String pathWords, PreAnalysis analysis) {
    ObjectNode d = json.createObjectNode();
    d.put("kind", KIND_CHUNK)
        .put(KEY, chunkId(owner, c.id()))
        .put("owner", owner)
        .put("source", c.source())
        .put("id", c.id());
    d.put(CONTENT, analysis.indexed(c.text())).put(PATH, pathWords);
    d.putObject("meta")
        .put("text", c.text())
        .put("start", c.startLine())
        .put("end", c.endLine())
        .put("content_type", c.contentType())
        .put("language", c.language())
        .put("mtime", c.mtimeMillis())
        .put("indexed_at", c.indexedAtMillis());
    return d;
  }

  /**
   * A source's document: its state, its chunks' ids (to replace them later) and its whole-file
   * words.
   */
  static ObjectNode sourceDoc(
      ObjectMapper json,
      String owner,
      Store.Source s,
      List<Store.Chunk> chunks,
      String pathWords,
      PreAnalysis analysis) {
    ObjectNode d = json.createObjectNode();
    d.put("kind", KIND_SOURCE)
        .put(KEY, sourceId(owner, s.path()))
        .put("owner", owner)
        .put("source", s.path());
    if (!chunks.isEmpty()) {
      StringBuilder text = new StringBuilder();
      for (Store.Chunk c : chunks) {
        text.append(c.text()).append('\n');
      }
      d.put(FILE_CONTENT, analysis.indexed(text.toString())).put(PATH, pathWords);
    }
    ObjectNode meta =
        d.putObject("meta")
            .put("mtime", s.mtimeMillis())
            .put("size", s.size())
            .put("sha256", s.sha256())
            .put("indexed_at", s.indexedAtMillis())
            .put("is_file", s.file());
    var ids = meta.putArray("chunks");
    chunks.forEach(c -> ids.add(c.id()));
    return d;
  }

  static ObjectNode rootDoc(ObjectMapper json, String owner, Store.Root r) {
    ObjectNode d = json.createObjectNode();
    d.put("kind", KIND_ROOT).put(KEY, rootId(owner, r.name())).put("owner", owner);
    ObjectNode meta =
        d.putObject("meta")
            .put("name", r.name())
            .put("path", r.path())
            .put("last_sync", r.lastSyncMillis());
    if (r.error() != null) {
      meta.put("error", r.error());
    }
    return d;
  }

  static Store.Source source(JsonNode doc) {
    JsonNode m = doc.path("meta");
    return new Store.Source(
        doc.path("source").asText(),
        m.path("mtime").asLong(),
        m.path("size").asLong(),
        m.path("sha256").asText(),
        m.path("indexed_at").asLong(),
        m.path("is_file").asBoolean());
  }

  static Store.Chunk chunk(JsonNode doc) {
    JsonNode m = doc.path("meta");
    return new Store.Chunk(
        doc.path("id").asText(),
        doc.path("source").asText(),
        m.path("start").asInt(),
        m.path("end").asInt(),
        m.path("text").asText(),
        m.path("content_type").asText(),
        m.path("language").asText(),
        m.path("mtime").asLong(),
        m.path("indexed_at").asLong(),
        null);
  }

  static Store.Root root(JsonNode doc) {
    JsonNode m = doc.path("meta");
    return new Store.Root(
        m.path("name").asText(),
        m.path("path").asText(),
        m.path("last_sync").asLong(),
        m.hasNonNull("error") ? m.path("error").asText() : null);
  }

  /**
   * Says once, on stderr, that this store ranks lexically: vectors are not kept on OpenSearch yet,
   * whether or not the cluster has the k-NN plugin (docs/opensearch.md).
   */
  static void sayNoVectorsOnce(OpenSearchHttp http, String index) throws IOException {
    JsonNode plugins = http.call("GET", "/_cat/plugins?format=json", null);
    boolean knn = false;
    for (JsonNode p : plugins) {
      knn |= p.path("component").asText().contains("knn");
    }
    System.err.println(
        "helix: the OpenSearch store "
            + index
            + " at "
            + http.url()
            + " ranks lexically only: "
            + (knn
                ? "the cluster has the k-NN plugin, but helix does not keep vectors on OpenSearch yet"
                : "the cluster has no k-NN plugin, and helix does not keep vectors on OpenSearch yet"));
  }

  /** SHA-256 ids: a path may be longer than OpenSearch's 512-byte id. */
  static final class Hashes {
    private Hashes() {}

    static String full(String s) {
      try {
        return java.util.HexFormat.of()
            .formatHex(
                java.security.MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException("this JVM lacks SHA-256, which every JVM must have", e);
      }
    }

    static String short16(String s) {
      return full(s).substring(0, 16);
    }
  }
}
