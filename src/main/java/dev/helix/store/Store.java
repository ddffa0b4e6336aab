package dev.helix.store;

import dev.helix.config.OpenSearchConfig;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * helix's knowledge store: chunks grouped by source, replaced a source at a time, searched
 * lexically and by vector. No Lucene type crosses this interface, so another backend (OpenSearch)
 * implements it too. Implementations are thread-safe.
 */
public interface Store extends AutoCloseable {

  /** Dimensions of the vectors this store keeps (all-MiniLM-L6-v2). */
  int DIMENSIONS = 384;

  /** Refuses vectors of another model's size before anything is written: they cannot be ranked. */
  static void checkDimensions(String source, Map<String, float[]> vectorsByChunk) {
    for (float[] v : vectorsByChunk.values()) {
      if (v.length != DIMENSIONS) {
        throw new IllegalArgumentException(
            "a vector of "
                + source
                + " has "
                + v.length
                + " dimensions; this store keeps "
                + DIMENSIONS);
      }
    }
  }

  /**
   * Opens (creating if needed) the embedded Lucene store at {@code dir} for reading and writing.
   */
  static Store openWritable(Path dir) throws IOException {
    return LuceneStore.open(dir, false);
  }

  /**
   * Opens the Lucene store at {@code dir} read-only: it never takes the write lock, so it works
   * while another process writes, and sees each commit that process makes.
   */
  static Store openReadOnly(Path dir) throws IOException {
    return LuceneStore.open(dir, true);
  }

  /**
   * Opens the team store on the OpenSearch cluster of {@code config} (docs/opensearch.md), creating
   * its index when missing; fails naming the URL when the cluster is unreachable or refuses.
   */
  static Store openOpenSearch(OpenSearchConfig config) throws IOException {
    List<URI> urls = new java.util.ArrayList<>();
    for (String u : config.urls()) {
      try {
        URI uri = new URI(u.endsWith("/") ? u : u + "/");
        if (uri.getScheme() == null || uri.getHost() == null) {
          throw new URISyntaxException(u, "no scheme or host");
        }
        urls.add(uri);
      } catch (URISyntaxException e) {
        throw new IOException(
            "[store.opensearch] urls holds \""
                + u
                + "\", which is not a URL ("
                + e.getReason()
                + "); give one like \"https://search.example.com:9200\"",
            e);
      }
    }
    OpenSearchHttp http =
        new OpenSearchHttp(
            urls,
            OpenSearchHttp.authorization(config.username(), config.password(), config.apiKey()),
            config.tlsVerify(),
            new com.fasterxml.jackson.databind.ObjectMapper(),
            java.time.Duration.ofMillis(100));
    return OpenSearchStore.open(http, config.index(), config.owner(), java.time.Clock.systemUTC());
  }

  /** The state of a source file when it was indexed; posted content has no file (never stale). */
  record Source(
      String path, long mtimeMillis, long size, String sha256, long indexedAtMillis, boolean file) {
    public Source {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(sha256, "sha256");
    }
  }

  /**
   * One chunk: its text, 1-based inclusive line range and where it came from. {@code vector} is not
   * stored: vectors are kept beside their source ({@link #addVectors}) since 2026-12, and chunks
   * read back have none; the component stays so that callers building chunks need not change.
   */
  @SuppressWarnings("ArrayRecordComponent") // a vector is made once and never changed or compared
  record Chunk(
      String id,
      String source,
      int startLine,
      int endLine,
      String text,
      String contentType,
      String language,
      long mtimeMillis,
      long indexedAtMillis,
      float @Nullable [] vector) {
    public Chunk {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(text, "text");
      if (startLine < 1 || endLine < startLine) {
        throw new IllegalArgumentException(
            "chunk "
                + id
                + " of "
                + source
                + " has bad lines "
                + startLine
                + ".."
                + endLine
                + "; lines are 1-based and end >= start");
      }
    }
  }

  /**
   * A dense search result: a source, the id of its chunk nearest to the query, and their cosine.
   */
  record DenseHit(String source, String chunk, double score) {}

  /** A search result: the chunk and its score in the ranking that found it. */
  record Hit(Chunk chunk, double score) {}

  /** A file-level search result: a source and its BM25 score over the whole file's text. */
  record SourceHit(String source, double score) {}

  /**
   * How many chunks hold each term ({@code chunksWith}), out of {@code chunks} that hold any text.
   */
  record TermCounts(long chunks, Map<String, Long> chunksWith) {}

  /** Totals: chunks, distinct sources and bytes on disk. */
  record Totals(long chunks, long sources, long storeBytes) {}

  /**
   * A folder or file the user ingested, which helix keeps in sync (docs/workspaces.md): its unique
   * name, absolute path, when it was last fully synced (0: never) and why that sync failed, if it
   * did.
   */
  record Root(String name, String path, long lastSyncMillis, @Nullable String error) {
    public Root {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(path, "path");
    }
  }

  /** What a path holds in the store: files (sources), their chunks and their bytes. */
  record Extent(long files, long chunks, long bytes) {}

  /**
   * Replaces everything stored for {@code source.path()} with {@code chunks}, atomically: a reader
   * or a crash sees the old version or the new one, never a mix. Durable and searchable when {@link
   * #commit()} returns; searchable within about half a second without one.
   */
  void replace(Source source, List<Chunk> chunks) throws IOException;

  /**
   * Sets the vectors of a source's chunks, by chunk id (none for a source without chunks: it is
   * then no longer waiting), unless the source was replaced meanwhile ({@code sha256} differs):
   * then nothing is written and the answer is false. Vectors live beside the source, not in its
   * chunks, so adding them rewrites neither its text nor its chunks.
   */
  boolean addVectors(String source, String sha256, Map<String, float[]> vectorsByChunk)
      throws IOException;

  /** Removes a source and its chunks. */
  void delete(String source) throws IOException;

  /** Makes every change so far durable; an ingest acknowledges only what a commit covered. */
  void commit() throws IOException;

  /** The stored state of one source. */
  Optional<Source> source(String path) throws IOException;

  /** Every source whose path is {@code prefix} or lies under it (prefix + "/"). */
  Map<String, Source> sourcesUnder(String prefix) throws IOException;

  /** Sources whose chunks still wait for their vectors, at most {@code max}. */
  List<String> sourcesMissingVectors(int max) throws IOException;

  /** The chunks of one source, in line order. */
  List<Chunk> chunksOf(String source) throws IOException;

  /** The best chunks by BM25 over code-aware terms (identifiers whole and split). */
  default List<Hit> lexical(String query, int k) throws IOException {
    return lexical(terms(query), k);
  }

  /** As {@link #lexical(String, int)}, for a query already analysed by {@link #terms}. */
  default List<Hit> lexical(List<String> terms, int k) throws IOException {
    return lexical(terms, k, Set.of());
  }

  /**
   * As {@link #lexical(List, int)}, among the chunks of {@code sources} only (every source when
   * empty).
   */
  List<Hit> lexical(List<String> terms, int k, Set<String> sources) throws IOException;

  /**
   * The best sources by BM25 over each whole file's terms and path words: a file whose words are
   * spread over many chunks still ranks by all of them. Sources written by a helix before 0.2 have
   * no file-level terms and are not found here (their chunks still are).
   */
  List<SourceHit> sources(List<String> terms, int k) throws IOException;

  /**
   * The sources nearest by cosine similarity, each by its nearest chunk vector (score = cosine,
   * -1..1), at most {@code k}.
   */
  List<DenseHit> dense(float[] vector, int k) throws IOException;

  /** The chunks with these ids (in no particular order); ids not in the store are left out. */
  List<Chunk> chunks(Set<String> ids) throws IOException;

  /** The distinct index terms of {@code text}, as lexical search sees them. */
  List<String> terms(String text);

  /** How many chunks hold each of {@code terms} (index terms, as {@link #terms} gives them). */
  TermCounts termCounts(List<String> terms) throws IOException;

  /** How many chunks still wait for their vector. */
  long chunksMissingVectors() throws IOException;

  /** Whether this store holds any vector at all (dense search is pointless otherwise). */
  boolean hasVectors() throws IOException;

  Totals totals() throws IOException;

  /** Records a root, replacing the one of the same name; durable after {@link #commit()}. */
  void putRoot(Root root) throws IOException;

  /** Forgets a root (its sources stay until deleted); durable after {@link #commit()}. */
  void removeRoot(String name) throws IOException;

  /** Every recorded root, by name. */
  List<Root> roots() throws IOException;

  /** The files, chunks and bytes stored at {@code path} or under it. */
  Extent extent(String path) throws IOException;

  /**
   * A number that grows with every commit (the store's commit generation), so a client can tell
   * whether two answers saw the same store.
   */
  long version() throws IOException;

  /**
   * This store seen through a scope: searches and counts find only sources at or under {@code
   * paths}; writes and term statistics are the whole store's. An empty list is the whole store.
   */
  Store within(List<String> paths);

  /**
   * How many chunks the store holds: cheap, unlike {@link #totals()}, which sizes the store's
   * files.
   */
  long chunks() throws IOException;

  @Override
  void close() throws IOException;
}
