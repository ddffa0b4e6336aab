package dev.helix.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.helix.text.Json;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The team store on an OpenSearch cluster (docs/opensearch.md, docs/opensearch.md): the embedded
 * store's document layout in one index, its text analysed by helix ({@link PreAnalysis}) so BM25
 * sees the same terms and ranks alike. Sources are keyed by (owner, path): this server reads and
 * writes only its owner's sources and roots, and searches everyone's. Writes are buffered and sent
 * in bounded bulks ({@link OpenSearchWrites}); every read sends what is buffered first, so a caller
 * reads its own writes. Lexical only for now: vectors are not kept.
 */
final class OpenSearchStore implements Store {
  /** OpenSearch's default index.max_result_window: no search may ask for more hits. */
  private static final int MAX_HITS = 10_000;

  /** Documents read per page when listing (sources under a folder, a source's chunks). */
  private static final int PAGE = 1_000;

  private final Shared shared;

  /** The filter of a scoped view ({@link #within}); null for the whole store. */
  private final @Nullable ObjectNode scope;

  /**
   * Whether this is a view from {@link #within}, which owns nothing, so closing it closes nothing.
   */
  private final boolean view;

  /** What the whole store and its scoped views share. */
  private record Shared(
      OpenSearchHttp http,
      ObjectMapper json,
      String index,
      String owner,
      PreAnalysis analysis,
      OpenSearchWrites writes,
      Clock clock,
      java.util.concurrent.atomic.AtomicLong version) {}

  private OpenSearchStore(Shared shared, @Nullable ObjectNode scope, boolean view) {
    this.shared = shared;
    this.scope = scope;
    this.view = view;
  }

  /**
   * Opens the store in {@code index}, creating the index when it is missing; fails naming the URL
   * when the cluster is unreachable or refuses.
   */
  static OpenSearchStore open(OpenSearchHttp http, String index, String owner, Clock clock)
      throws IOException {
    ObjectMapper json = Json.mapper();
    OpenSearchLayout.ensureIndex(http, json, index);
    PreAnalysis analysis = new PreAnalysis();
    OpenSearchWrites writes = new OpenSearchWrites(http, json, index, owner, analysis);
    OpenSearchLayout.sayNoVectorsOnce(http, index);
    return new OpenSearchStore(
        new Shared(
            http,
            json,
            index,
            owner,
            analysis,
            writes,
            clock,
            new java.util.concurrent.atomic.AtomicLong(clock.millis())),
        null,
        false);
  }

  private String path(String endpoint) {
    return "/" + enc(shared.index()) + endpoint;
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Override
  public void replace(Source source, List<Chunk> chunks) throws IOException {
    for (Chunk c : chunks) {
      if (!c.source().equals(source.path())) {
        throw new IllegalArgumentException(
            "chunk " + c.id() + " belongs to " + c.source() + ", not " + source.path());
      }
    }
    shared.writes().replace(source, chunks);
  }

  @Override
  public boolean addVectors(String source, String sha256, Map<String, float[]> vectorsByChunk)
      throws IOException {
    Store.checkDimensions(source, vectorsByChunk);
    // Vectors are not kept on OpenSearch yet (docs/opensearch.md): the source counts as done.
    Optional<Source> current = source(source);
    return current.isPresent() && current.get().sha256().equals(sha256);
  }

  @Override
  public void delete(String source) throws IOException {
    shared.writes().delete(source);
  }

  @Override
  public void commit() throws IOException {
    shared.writes().flush();
    shared.http().call("POST", path("/_refresh"), null);
    shared.version().updateAndGet(v -> Math.max(v + 1, shared.clock().millis()));
  }

  @Override
  public Optional<Source> source(String path) throws IOException {
    shared.writes().flush();
    String doc = path("/_doc/" + enc(OpenSearchLayout.sourceId(shared.owner(), path)));
    OpenSearchHttp.Answer a = shared.http().answer("GET", doc, null, "application/json");
    if (a.status() == 404) {
      return Optional.empty();
    }
    return Optional.of(
        OpenSearchLayout.source(shared.http().requireOk("GET", doc, a).path("_source")));
  }

  @Override
  public Map<String, Source> sourcesUnder(String prefix) throws IOException {
    Map<String, Source> out = new LinkedHashMap<>();
    for (JsonNode doc : scan(own(OpenSearchLayout.KIND_SOURCE).add(under(List.of(prefix))))) {
      Source s = OpenSearchLayout.source(doc);
      out.put(s.path(), s);
    }
    return out;
  }

  @Override
  public List<String> sourcesMissingVectors(int max) {
    return List.of();
  }

  @Override
  public List<Chunk> chunksOf(String source) throws IOException {
    List<Chunk> out = new ArrayList<>();
    for (JsonNode doc : scan(own(OpenSearchLayout.KIND_CHUNK).add(term("source", source)))) {
      out.add(OpenSearchLayout.chunk(doc));
    }
    out.sort(Comparator.comparingInt(Chunk::startLine));
    return out;
  }

  @Override
  public List<Hit> lexical(List<String> terms, int k, Set<String> sources) throws IOException {
    if (terms.isEmpty()) {
      return List.of();
    }
    ArrayNode filter = filters(OpenSearchLayout.KIND_CHUNK);
    if (!sources.isEmpty()) {
      ObjectNode in = shared.json().createObjectNode();
      ArrayNode values = in.putObject("terms").putArray("source");
      sources.forEach(values::add);
      filter.add(in);
    }
    List<Hit> out = new ArrayList<>();
    for (JsonNode hit : search(words(OpenSearchLayout.CONTENT, terms), filter, k)) {
      out.add(new Hit(OpenSearchLayout.chunk(hit.path("_source")), hit.path("_score").asDouble()));
    }
    return out;
  }

  @Override
  public List<SourceHit> sources(List<String> terms, int k) throws IOException {
    if (terms.isEmpty()) {
      return List.of();
    }
    List<SourceHit> out = new ArrayList<>();
    for (JsonNode hit :
        search(
            words(OpenSearchLayout.FILE_CONTENT, terms),
            filters(OpenSearchLayout.KIND_SOURCE),
            k)) {
      out.add(
          new SourceHit(
              hit.path("_source").path("source").asText(), hit.path("_score").asDouble()));
    }
    return out;
  }

  @Override
  public List<DenseHit> dense(float[] vector, int k) {
    if (vector.length != DIMENSIONS) {
      throw new IllegalArgumentException(
          "a query vector has " + vector.length + " dimensions; this store keeps " + DIMENSIONS);
    }
    return List.of();
  }

  @Override
  public List<Chunk> chunks(Set<String> ids) throws IOException {
    if (ids.isEmpty()) {
      return List.of();
    }
    ArrayNode filter = filters(OpenSearchLayout.KIND_CHUNK);
    ArrayNode values = filter.addObject().putObject("terms").putArray("id");
    ids.forEach(values::add);
    List<Chunk> out = new ArrayList<>();
    // Another owner may hold a chunk of the same id (the same file at the same path): twice as
    // many.
    for (JsonNode hit : search(null, filter, 2 * ids.size())) {
      out.add(OpenSearchLayout.chunk(hit.path("_source")));
    }
    return out;
  }

  @Override
  public List<String> terms(String text) {
    return shared.analysis().terms(text);
  }

  @Override
  public TermCounts termCounts(List<String> terms) throws IOException {
    shared.writes().flush();
    ObjectNode body = shared.json().createObjectNode().put("size", 0);
    body.putObject("query").putObject("exists").put("field", OpenSearchLayout.CONTENT);
    ObjectNode filters =
        body.putObject("aggs").putObject("t").putObject("filters").putObject("filters");
    for (int i = 0; i < terms.size(); i++) {
      filters.set(String.valueOf(i), term(OpenSearchLayout.CONTENT, terms.get(i)));
    }
    JsonNode r = shared.http().call("POST", path("/_search?track_total_hits=true"), body);
    Map<String, Long> counts = new LinkedHashMap<>();
    for (int i = 0; i < terms.size(); i++) {
      counts.put(
          terms.get(i),
          r.path("aggregations")
              .path("t")
              .path("buckets")
              .path(String.valueOf(i))
              .path("doc_count")
              .asLong());
    }
    return new TermCounts(r.path("hits").path("total").path("value").asLong(), counts);
  }

  @Override
  public long chunksMissingVectors() {
    return 0;
  }

  @Override
  public boolean hasVectors() {
    return false;
  }

  @Override
  public Totals totals() throws IOException {
    JsonNode stats = shared.http().call("GET", path("/_stats/store"), null);
    long bytes = stats.path("_all").path("primaries").path("store").path("size_in_bytes").asLong();
    return new Totals(
        count(kind(OpenSearchLayout.KIND_CHUNK)), count(kind(OpenSearchLayout.KIND_SOURCE)), bytes);
  }

  @Override
  public void putRoot(Root root) throws IOException {
    shared
        .http()
        .call(
            "PUT",
            path("/_doc/" + enc(OpenSearchLayout.rootId(shared.owner(), root.name()))),
            OpenSearchLayout.rootDoc(shared.json(), shared.owner(), root));
  }

  @Override
  public void removeRoot(String name) throws IOException {
    String doc = path("/_doc/" + enc(OpenSearchLayout.rootId(shared.owner(), name)));
    OpenSearchHttp.Answer a = shared.http().answer("DELETE", doc, null, "application/json");
    if (a.status() != 404) {
      shared.http().requireOk("DELETE", doc, a);
    }
  }

  @Override
  public List<Root> roots() throws IOException {
    List<Root> out = new ArrayList<>();
    for (JsonNode doc : scan(own(OpenSearchLayout.KIND_ROOT))) {
      out.add(OpenSearchLayout.root(doc));
    }
    out.sort(Comparator.comparing(Root::name));
    return out;
  }

  @Override
  public Extent extent(String path) throws IOException {
    long files = 0;
    long bytes = 0;
    for (JsonNode doc : scan(own(OpenSearchLayout.KIND_SOURCE).add(under(List.of(path))))) {
      files++;
      bytes += doc.path("meta").path("size").asLong();
    }
    long chunks = count(bool(own(OpenSearchLayout.KIND_CHUNK).add(under(List.of(path)))));
    return new Extent(files, chunks, bytes);
  }

  @Override
  public long version() {
    return shared.version().get();
  }

  @Override
  public Store within(List<String> paths) {
    return new OpenSearchStore(shared, paths.isEmpty() ? null : under(paths), true);
  }

  @Override
  public long chunks() throws IOException {
    ArrayNode filter = filters(OpenSearchLayout.KIND_CHUNK);
    return count(bool(filter));
  }

  @Override
  public void close() throws IOException {
    if (view) {
      return;
    }
    try {
      shared.writes().flush();
    } finally {
      shared.analysis().close();
    }
  }

  /**
   * Any of {@code terms} in {@code field}, or among the path words: the embedded store's query,
   * with its term cap and path weight, so both backends rank alike.
   */
  private ObjectNode words(String field, List<String> terms) {
    ObjectNode q = shared.json().createObjectNode();
    ArrayNode should = q.putObject("bool").putArray("should");
    for (String t : terms.subList(0, Math.min(terms.size(), LuceneStore.MAX_QUERY_TERMS))) {
      should.add(term(field, t));
      ObjectNode path = term(OpenSearchLayout.PATH, t);
      ((ObjectNode) path.path("term").path(OpenSearchLayout.PATH))
          .put("boost", LuceneStore.PATH_BOOST);
      should.add(path);
    }
    return q;
  }

  /** The filters of a search of this view: the kind, and the scope if any. */
  private ArrayNode filters(String kind) {
    ArrayNode filter = shared.json().createArrayNode().add(kind(kind));
    if (scope != null) {
      filter.add(scope);
    }
    return filter;
  }

  /** The filters of this owner's documents of one kind. */
  private ArrayNode own(String kind) {
    return shared.json().createArrayNode().add(kind(kind)).add(term("owner", shared.owner()));
  }

  private ObjectNode kind(String kind) {
    return term("kind", kind);
  }

  private ObjectNode term(String field, String value) {
    ObjectNode q = shared.json().createObjectNode();
    q.putObject("term").putObject(field).put("value", value);
    return q;
  }

  private ObjectNode bool(ArrayNode filter) {
    ObjectNode q = shared.json().createObjectNode();
    q.putObject("bool").set("filter", filter);
    return q;
  }

  /** Sources at any of {@code paths} or under it (a folder's path and its path + "/"). */
  private ObjectNode under(List<String> paths) {
    ObjectNode q = shared.json().createObjectNode();
    ObjectNode bool = q.putObject("bool");
    ArrayNode should = bool.putArray("should");
    for (String p : paths) {
      should.add(term("source", p));
      ObjectNode prefix = shared.json().createObjectNode();
      prefix.putObject("prefix").putObject("source").put("value", p.endsWith("/") ? p : p + "/");
      should.add(prefix);
    }
    bool.put("minimum_should_match", 1);
    return q;
  }

  /** The top {@code k} hits of {@code scored} among {@code filter}; none scored: any matching. */
  private List<JsonNode> search(@Nullable ObjectNode scored, ArrayNode filter, int k)
      throws IOException {
    shared.writes().flush();
    ObjectNode body = shared.json().createObjectNode().put("size", Math.min(k, MAX_HITS));
    ObjectNode bool = body.putObject("query").putObject("bool");
    if (scored != null) {
      bool.putArray("must").add(scored);
    }
    bool.set("filter", filter);
    List<JsonNode> out = new ArrayList<>();
    shared.http().call("POST", path("/_search"), body).path("hits").path("hits").forEach(out::add);
    return out;
  }

  /** Every document matching {@code filter}, page by page in key order (search_after). */
  private List<JsonNode> scan(ArrayNode filter) throws IOException {
    shared.writes().flush();
    List<JsonNode> out = new ArrayList<>();
    JsonNode after = null;
    while (true) {
      ObjectNode body = shared.json().createObjectNode().put("size", PAGE);
      body.set("query", bool(filter));
      body.putArray("sort").addObject().put(OpenSearchLayout.KEY, "asc");
      if (after != null) {
        body.set("search_after", after);
      }
      JsonNode hits = shared.http().call("POST", path("/_search"), body).path("hits").path("hits");
      for (JsonNode h : hits) {
        out.add(h.path("_source"));
        after = h.path("sort");
      }
      if (hits.size() < PAGE) {
        return out;
      }
    }
  }

  private long count(ObjectNode query) throws IOException {
    shared.writes().flush();
    ObjectNode body = shared.json().createObjectNode();
    body.set("query", query.has("term") ? bool(shared.json().createArrayNode().add(query)) : query);
    return shared.http().call("POST", path("/_count"), body).path("count").asLong();
  }
}
