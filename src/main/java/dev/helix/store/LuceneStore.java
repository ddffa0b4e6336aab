package dev.helix.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FieldInfos;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.FieldExistsQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.jspecify.annotations.Nullable;

/**
 * The embedded Lucene store. One document per chunk plus one per source (its mtime, size and hash);
 * a source and its chunks are replaced with one {@code updateDocuments} call, which Lucene applies
 * atomically, so a crash never leaves half a file and a re-run never duplicates one.
 */
final class LuceneStore implements Store {
  /** How many query terms take part at most: long pasted questions stay fast. */
  static final int MAX_QUERY_TERMS = 48;

  /**
   * The weight of path terms (file and folder names) against body terms, in chunk and whole-file
   * search alike. A question about a class often names words of its file name, but a family of
   * siblings shares them (JsonParser, ParserBase, ParserMinimalBase): on bench/store's development
   * corpora 0.5 beat 1.5 by 6-16 points of recall@1 on doc-sentence questions and 0.25 and 1.0 on
   * developer questions (bench/store/RESULTS.md, 2026-12-07).
   */
  static final float PATH_BOOST = 0.5f;

  /**
   * Nearest chunk vectors read per file asked for by dense search (a file counts once, by its
   * nearest): 60 neighbours for 30 files gave the same file-level figures on bench/store's
   * development corpora as the 30 nearest chunks that the helix before 2026-12 read.
   */
  private static final int NEIGHBOURS_PER_FILE = 2;

  /** A read-only store looks for a newer commit at most this often (ms), not on every query. */
  private static final long REFRESH_EVERY_MS = 500;

  private final Path dir;
  private final Directory directory;
  private final @Nullable IndexWriter writer;

  /** Analyses queries (a pool of analyzers, each used by one thread at a time). */
  private final QueryTerms queryTerms = new QueryTerms();

  /**
   * Replacements and deletes run concurrently (shared); adding a vector checks a source's hash and
   * then writes the vector, which must not interleave with a replacement of that source
   * (exclusive).
   */
  private final ReadWriteLock lock = new ReentrantReadWriteLock();

  private volatile @Nullable SearcherManager searchers;

  /**
   * Sources written since the searchers were last refreshed: only for those is the searchers' view
   * out of date, so adding vectors to any other source needs no refresh (each refresh flushes a
   * small segment, and the vector filler adds vectors source after source).
   */
  private final Set<String> touched = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private volatile boolean dirty;
  private volatile long lastRefresh;

  /** Whether a background reopen is scheduled or running. */
  private final java.util.concurrent.atomic.AtomicBoolean refreshing =
      new java.util.concurrent.atomic.AtomicBoolean();

  /**
   * Whether text fields keep positions: only in a store first written by a helix that indexed them;
   * Lucene refuses to mix both in one field, and such a store keeps working unchanged.
   */
  private final boolean positions;

  private LuceneStore(
      Path dir,
      Directory directory,
      @Nullable IndexWriter writer,
      @Nullable SearcherManager searchers,
      boolean positions) {
    this.dir = dir;
    this.directory = directory;
    this.writer = writer;
    this.searchers = searchers;
    this.positions = positions;
  }

  static LuceneStore open(Path dir, boolean readOnly) throws IOException {
    if (readOnly) {
      Directory directory = FSDirectory.open(dir);
      SearcherManager searchers =
          Files.isDirectory(dir) && DirectoryReader.indexExists(directory)
              ? new SearcherManager(directory, null)
              : null;
      return new LuceneStore(dir, directory, null, searchers, false);
    }
    Files.createDirectories(dir);
    return openWritable(dir, FSDirectory.open(dir));
  }

  /**
   * Opens {@code directory} (the store at {@code dir}) for writing; tests pass a faulty directory
   * here.
   */
  static LuceneStore openWritable(Path dir, Directory directory) throws IOException {
    boolean fresh = !DirectoryReader.indexExists(directory);
    IndexWriterConfig config =
        new IndexWriterConfig(Fields.indexAnalyzer())
            .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
            // 64 MB of buffer (Lucene's default is 16): fewer, larger segments while ingesting.
            .setRAMBufferSizeMB(64)
            // No compound files: each flush (every commit, every ~5 s of ingest) would otherwise
            // write
            // its segment and then copy it into one .cfs file.
            .setUseCompoundFile(false)
            // A merged segment is warmed (terms index, norms) by the merge, before readers see it,
            // not
            // by the first query after the reopen.
            .setMergedSegmentWarmer(
                new org.apache.lucene.index.SimpleMergedSegmentWarmer(
                    org.apache.lucene.util.InfoStream.NO_OUTPUT));
    IndexWriter writer;
    try {
      writer = new IndexWriter(directory, config);
    } catch (LockObtainFailedException e) {
      directory.close();
      throw new IOException(
          "the store at "
              + dir
              + " is already open for writing by another process ("
              + Owner.describe(dir)
              + "); wait for that ingest to finish or stop it; when a helix server owns"
              + " the store, helix ingest sends its paths to the server instead",
          e);
    }
    if (fresh) {
      // An empty first commit: from now on every crash rolls back to a commit that opens.
      writer.commit();
    }
    Owner.write(dir);
    SearcherManager searchers = new SearcherManager(writer, null);
    return new LuceneStore(dir, directory, writer, searchers, !fresh && hasPositions(searchers));
  }

  /** Whether the store's content field was written with positions (by an earlier helix). */
  private static boolean hasPositions(SearcherManager searchers) throws IOException {
    IndexSearcher s = searchers.acquire();
    try {
      FieldInfo content =
          FieldInfos.getMergedFieldInfos(s.getIndexReader()).fieldInfo(Fields.CONTENT);
      return content != null
          && content.getIndexOptions().compareTo(IndexOptions.DOCS_AND_FREQS_AND_POSITIONS) >= 0;
    } finally {
      searchers.release(s);
    }
  }

  private IndexWriter writer() throws IOException {
    if (writer == null) {
      throw new IOException(
          "the store at "
              + dir
              + " was opened read-only; open it writable to change it"
              + " (helix ingest does, when no server owns the store)");
    }
    return writer;
  }

  @Override
  public void replace(Source source, List<Chunk> chunks) throws IOException {
    List<Document> docs = new ArrayList<>(chunks.size() + 1);
    String pathWords = Fields.pathWords(source.path(), !source.file());
    docs.add(Fields.sourceDoc(source, chunks, pathWords, positions));
    for (Chunk c : chunks) {
      if (!c.source().equals(source.path())) {
        throw new IllegalArgumentException(
            "chunk " + c.id() + " belongs to " + c.source() + ", not " + source.path());
      }
      docs.add(Fields.chunkDoc(c, pathWords, positions));
    }
    docs.addAll(Fields.vectorDocs(source.path(), null, chunks.size()));
    lock.readLock().lock();
    try {
      writer().updateDocuments(new Term(Fields.SOURCE, source.path()), docs);
      // After the write: a refresh that clears this set before now still sees the write.
      touched.add(source.path());
      dirty = true;
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public boolean addVectors(String source, String sha256, Map<String, float[]> vectorsByChunk)
      throws IOException {
    Store.checkDimensions(source, vectorsByChunk);
    lock.writeLock().lock();
    try {
      if (touched.contains(source)) {
        refreshIfDirty(true);
      }
      Optional<Source> current = source(source);
      if (current.isEmpty() || !current.get().sha256().equals(sha256)) {
        return false;
      }
      // Only the vector documents change: the source's terms and chunks stay as they were indexed.
      writer()
          .updateDocuments(
              new Term(Fields.VECTOR_OF, source),
              Fields.vectorDocs(source, vectorsByChunk, vectorsByChunk.size()));
      touched.add(source);
      dirty = true;
      return true;
    } finally {
      lock.writeLock().unlock();
    }
  }

  @Override
  public void delete(String source) throws IOException {
    lock.readLock().lock();
    try {
      writer().deleteDocuments(new Term(Fields.SOURCE, source));
      touched.add(source);
      dirty = true;
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public void commit() throws IOException {
    IndexWriter w = writer();
    try {
      w.commit();
    } catch (IOException e) {
      // Lucene's own message ("No space left on device") names neither the store nor what survives.
      throw new IOException(
          "writing the store at "
              + dir
              + " failed ("
              + e.getMessage()
              + "); everything committed"
              + " before is kept; free disk space or fix the disk, then run the ingest again",
          e);
    }
    // The committing thread reopens the readers, so what a commit acknowledged is searchable when
    // it
    // returns, and no query pays for the reopen (after a merge, opening a big new segment took a
    // query hundreds of ms).
    refreshIfDirty(true);
  }

  @Override
  public Optional<Source> source(String path) throws IOException {
    List<Document> docs =
        find(
            new BooleanQuery.Builder()
                .add(
                    new TermQuery(new Term(Fields.KIND, Fields.KIND_SOURCE)),
                    BooleanClause.Occur.FILTER)
                .add(new TermQuery(new Term(Fields.SOURCE, path)), BooleanClause.Occur.FILTER)
                .build(),
            1);
    return docs.stream().findFirst().map(Fields::source);
  }

  @Override
  public Map<String, Source> sourcesUnder(String prefix) throws IOException {
    String under = prefix.endsWith("/") ? prefix : prefix + "/";
    Query query =
        new BooleanQuery.Builder()
            .add(
                new TermQuery(new Term(Fields.KIND, Fields.KIND_SOURCE)),
                BooleanClause.Occur.FILTER)
            .add(
                new BooleanQuery.Builder()
                    .add(new TermQuery(new Term(Fields.SOURCE, prefix)), BooleanClause.Occur.SHOULD)
                    .add(
                        new PrefixQuery(new Term(Fields.SOURCE, under)), BooleanClause.Occur.SHOULD)
                    .build(),
                BooleanClause.Occur.FILTER)
            .build();
    Map<String, Source> out = new LinkedHashMap<>();
    for (Document d : find(query, Integer.MAX_VALUE)) {
      Source s = Fields.source(d);
      out.put(s.path(), s);
    }
    return out;
  }

  @Override
  public List<String> sourcesMissingVectors(int max) throws IOException {
    // The caller just added vectors and must not be handed the same sources again.
    refreshIfDirty(true);
    List<String> out = pending(max);
    if (out.size() < max && legacySources() > 0) {
      addPlaceholders();
      out = pending(max);
    }
    return out;
  }

  private List<String> pending(int max) throws IOException {
    Query query =
        new BooleanQuery.Builder()
            .add(
                new TermQuery(new Term(Fields.KIND, Fields.KIND_VECTOR)),
                BooleanClause.Occur.FILTER)
            .add(new TermQuery(new Term(Fields.PENDING, "1")), BooleanClause.Occur.FILTER)
            .build();
    return find(query, max).stream().map(d -> d.get(Fields.SOURCE)).toList();
  }

  /**
   * Sources without a vector document: written by a helix that embedded chunks into the chunk
   * documents (those vectors are no longer read) and not re-indexed since. Every source gets one
   * with its replacement, so the difference of two counts finds them without a scan.
   */
  private long legacySources() throws IOException {
    return Math.max(
        0,
        count(new TermQuery(new Term(Fields.KIND, Fields.KIND_SOURCE)))
            - count(new TermQuery(new Term(Fields.FIRST_VECTOR, "1"))));
  }

  /**
   * Gives every source without vector documents its vectors back from its chunk documents, where
   * the helix before 2026-12 kept them (the same chunk heads, so nothing is embedded again), or a
   * placeholder when any chunk lacks one. Once per store, and exclusive, so no replacement or
   * deletion runs between reading the sources and writing (a placeholder of a source deleted
   * meanwhile would be handed to the filler forever).
   */
  private void addPlaceholders() throws IOException {
    lock.writeLock().lock();
    try {
      refreshIfDirty(true);
      Set<String> withVector = new java.util.HashSet<>();
      for (Document d :
          find(new TermQuery(new Term(Fields.FIRST_VECTOR, "1")), Integer.MAX_VALUE)) {
        withVector.add(d.get(Fields.SOURCE));
      }
      Map<String, Integer> legacy = new LinkedHashMap<>();
      for (Document d :
          find(new TermQuery(new Term(Fields.KIND, Fields.KIND_SOURCE)), Integer.MAX_VALUE)) {
        if (!withVector.contains(d.get(Fields.SOURCE))) {
          legacy.put(d.get(Fields.SOURCE), 0);
        }
      }
      // Only the source field of each chunk: a whole chunk document carries its text.
      for (String source :
          search(
              new TermQuery(new Term(Fields.KIND, Fields.KIND_CHUNK)),
              Math.max(1, maxDoc()),
              (stored, sd) -> stored.document(sd.doc, Set.of(Fields.SOURCE)).get(Fields.SOURCE))) {
        legacy.computeIfPresent(source, (k, n) -> n + 1);
      }
      Map<String, Map<String, float[]>> kept = legacyVectors(legacy.keySet());
      for (Map.Entry<String, Integer> e : legacy.entrySet()) {
        Map<String, float[]> vectors = kept.getOrDefault(e.getKey(), Map.of());
        boolean complete = e.getValue() > 0 && vectors.size() == e.getValue();
        writer()
            .updateDocuments(
                new Term(Fields.VECTOR_OF, e.getKey()),
                Fields.vectorDocs(e.getKey(), complete ? vectors : null, e.getValue()));
        dirty = true;
      }
      refreshIfDirty(true);
    } finally {
      lock.writeLock().unlock();
    }
  }

  private int maxDoc() throws IOException {
    SearcherManager sm = searchers();
    if (sm == null) {
      return 0;
    }
    IndexSearcher s = sm.acquire();
    try {
      return s.getIndexReader().maxDoc();
    } finally {
      sm.release(s);
    }
  }

  /**
   * The vectors that chunk documents of {@code sources} hold (stores before 2026-12), by source and
   * chunk id.
   */
  private Map<String, Map<String, float[]>> legacyVectors(Set<String> sources) throws IOException {
    Map<String, Map<String, float[]>> out = new java.util.HashMap<>();
    SearcherManager sm = searchers();
    if (sm == null || sources.isEmpty()) {
      return out;
    }
    IndexSearcher s = sm.acquire();
    try {
      for (LeafReaderContext leaf : s.getIndexReader().leaves()) {
        FloatVectorValues values = leaf.reader().getFloatVectorValues(Fields.LEGACY_VECTOR);
        if (values == null) {
          continue;
        }
        Bits live = leaf.reader().getLiveDocs();
        StoredFields stored = leaf.reader().storedFields();
        KnnVectorValues.DocIndexIterator it = values.iterator();
        for (int doc = it.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
          if (live != null && !live.get(doc)) {
            continue;
          }
          Document d = stored.document(doc, Set.of(Fields.SOURCE, Fields.ID));
          if (sources.contains(d.get(Fields.SOURCE))) {
            out.computeIfAbsent(d.get(Fields.SOURCE), k -> new LinkedHashMap<>())
                .put(d.get(Fields.ID), values.vectorValue(it.index()).clone());
          }
        }
      }
      return out;
    } finally {
      sm.release(s);
    }
  }

  @Override
  public List<Chunk> chunksOf(String source) throws IOException {
    Query query =
        new BooleanQuery.Builder()
            .add(
                new TermQuery(new Term(Fields.KIND, Fields.KIND_CHUNK)), BooleanClause.Occur.FILTER)
            .add(new TermQuery(new Term(Fields.SOURCE, source)), BooleanClause.Occur.FILTER)
            .build();
    List<Chunk> out = new ArrayList<>();
    for (Document d : find(query, Integer.MAX_VALUE)) {
      out.add(Fields.chunk(d));
    }
    out.sort(Comparator.comparingInt(Chunk::startLine));
    return out;
  }

  @Override
  public List<Hit> lexical(List<String> terms, int k, Set<String> sources) throws IOException {
    return lexical(terms, k, sources, null);
  }

  private List<Hit> lexical(List<String> terms, int k, Set<String> sources, @Nullable Query scope)
      throws IOException {
    if (terms.isEmpty()) {
      return List.of();
    }
    BooleanQuery.Builder q =
        new BooleanQuery.Builder()
            .add(words(Fields.CONTENT, terms), BooleanClause.Occur.MUST)
            .add(
                new TermQuery(new Term(Fields.KIND, Fields.KIND_CHUNK)),
                BooleanClause.Occur.FILTER);
    if (!sources.isEmpty()) {
      q.add(
          new TermInSetQuery(Fields.SOURCE, sources.stream().map(BytesRef::new).toList()),
          BooleanClause.Occur.FILTER);
    }
    if (scope != null) {
      q.add(scope, BooleanClause.Occur.FILTER);
    }
    return hits(q.build(), k);
  }

  @Override
  public List<SourceHit> sources(List<String> terms, int k) throws IOException {
    return sources(terms, k, null);
  }

  private List<SourceHit> sources(List<String> terms, int k, @Nullable Query scope)
      throws IOException {
    if (terms.isEmpty()) {
      return List.of();
    }
    BooleanQuery.Builder q =
        new BooleanQuery.Builder()
            .add(words(Fields.FILE_CONTENT, terms), BooleanClause.Occur.MUST)
            .add(
                new TermQuery(new Term(Fields.KIND, Fields.KIND_SOURCE)),
                BooleanClause.Occur.FILTER);
    if (scope != null) {
      q.add(scope, BooleanClause.Occur.FILTER);
    }
    return search(
        q.build(),
        k,
        (stored, sd) ->
            new SourceHit(
                stored.document(sd.doc, Set.of(Fields.SOURCE)).get(Fields.SOURCE), sd.score));
  }

  /**
   * Any of {@code terms} in the text field {@code field}, or among the path words (weighed {@link
   * #PATH_BOOST}).
   */
  private static Query words(String field, List<String> terms) {
    BooleanQuery.Builder should = new BooleanQuery.Builder();
    for (String t : terms.subList(0, Math.min(terms.size(), MAX_QUERY_TERMS))) {
      should.add(new TermQuery(new Term(field, t)), BooleanClause.Occur.SHOULD);
      should.add(
          new BoostQuery(new TermQuery(new Term(Fields.PATH, t)), PATH_BOOST),
          BooleanClause.Occur.SHOULD);
    }
    return should.build();
  }

  @Override
  public List<DenseHit> dense(float[] vector, int k) throws IOException {
    return dense(vector, k, null);
  }

  private List<DenseHit> dense(float[] vector, int k, @Nullable Query scope) throws IOException {
    if (vector.length != DIMENSIONS) {
      throw new IllegalArgumentException(
          "a query vector has " + vector.length + " dimensions; this store keeps " + DIMENSIONS);
    }
    // A file counts by its nearest chunk; a few more neighbours than files are asked for, since a
    // file's chunks often neighbour each other. Lucene scores COSINE as (1 + cos) / 2; callers want
    // the cosine itself.
    int neighbours = k * NEIGHBOURS_PER_FILE;
    Map<String, DenseHit> best = new LinkedHashMap<>();
    for (DenseHit h :
        search(
            new KnnFloatVectorQuery(Fields.FILE_VECTOR, vector, neighbours, scope),
            neighbours,
            (stored, sd) -> {
              Document d = stored.document(sd.doc, Set.of(Fields.SOURCE, Fields.VECTOR_CHUNK));
              return new DenseHit(
                  d.get(Fields.SOURCE), d.get(Fields.VECTOR_CHUNK), 2 * sd.score - 1);
            })) {
      best.putIfAbsent(h.source(), h);
    }
    return best.values().stream().limit(k).toList();
  }

  @Override
  public List<Chunk> chunks(Set<String> ids) throws IOException {
    if (ids.isEmpty()) {
      return List.of();
    }
    Query query =
        new BooleanQuery.Builder()
            .add(
                new TermQuery(new Term(Fields.KIND, Fields.KIND_CHUNK)), BooleanClause.Occur.FILTER)
            .add(
                new TermInSetQuery(Fields.ID, ids.stream().map(BytesRef::new).toList()),
                BooleanClause.Occur.FILTER)
            .build();
    return find(query, ids.size()).stream().map(Fields::chunk).toList();
  }

  @Override
  public long chunksMissingVectors() throws IOException {
    SearcherManager sm = searchers();
    if (sm == null) {
      return 0;
    }
    IndexSearcher s = sm.acquire();
    try {
      long sum = 0;
      for (LeafReaderContext leaf : s.getIndexReader().leaves()) {
        PostingsEnum pending = leaf.reader().postings(new Term(Fields.PENDING, "1"));
        if (pending == null) {
          continue;
        }
        NumericDocValues chunks = leaf.reader().getNumericDocValues(Fields.PENDING_CHUNKS);
        Bits live = leaf.reader().getLiveDocs();
        for (int d = pending.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = pending.nextDoc()) {
          if (live == null || live.get(d)) {
            sum += chunks != null && chunks.advanceExact(d) ? chunks.longValue() : 1;
          }
        }
      }
      // A store before 2026-12 whose vectors were not yet moved counts its chunks without one.
      return sum
          + (legacySources() > 0
              ? s.count(new TermQuery(new Term(Fields.LEGACY_HAS_VECTOR, "0")))
              : 0);
    } finally {
      sm.release(s);
    }
  }

  @Override
  public boolean hasVectors() throws IOException {
    return count(new FieldExistsQuery(Fields.FILE_VECTOR)) > 0;
  }

  /** How many documents match; an empty store answers without weighing the query. */
  private long count(Query query) throws IOException {
    SearcherManager sm = searchers();
    if (sm == null) {
      return 0;
    }
    IndexSearcher s = sm.acquire();
    try {
      return s.getIndexReader().maxDoc() == 0 ? 0 : s.count(query);
    } finally {
      sm.release(s);
    }
  }

  private List<Hit> hits(Query query, int k) throws IOException {
    return search(
        query, k, (stored, sd) -> new Hit(Fields.chunk(stored.document(sd.doc)), sd.score));
  }

  /** Reads one top-k hit into a result. */
  private interface Reader<T> {
    T read(StoredFields stored, ScoreDoc hit) throws IOException;
  }

  private <T> List<T> search(Query query, int k, Reader<T> reader) throws IOException {
    SearcherManager sm = searchers();
    if (sm == null) {
      return List.of();
    }
    IndexSearcher s = sm.acquire();
    try {
      TopDocs top = s.search(query, Math.min(k, Math.max(1, s.getIndexReader().maxDoc())));
      List<T> out = new ArrayList<>(top.scoreDocs.length);
      StoredFields stored = s.storedFields();
      for (ScoreDoc sd : top.scoreDocs) {
        out.add(reader.read(stored, sd));
      }
      return out;
    } finally {
      sm.release(s);
    }
  }

  private List<Document> find(Query query, int max) throws IOException {
    SearcherManager sm = searchers();
    if (sm == null) {
      return List.of();
    }
    IndexSearcher s = sm.acquire();
    try {
      int n = Math.min(max, Math.max(1, s.getIndexReader().maxDoc()));
      TopDocs top = s.search(query, n);
      List<Document> out = new ArrayList<>(top.scoreDocs.length);
      var stored = s.storedFields();
      for (ScoreDoc sd : top.scoreDocs) {
        out.add(stored.document(sd.doc));
      }
      return out;
    } finally {
      sm.release(s);
    }
  }

  @Override
  public List<String> terms(String text) {
    return queryTerms.terms(text);
  }

  @Override
  public TermCounts termCounts(List<String> terms) throws IOException {
    SearcherManager sm = searchers();
    if (sm == null) {
      return new TermCounts(0, Map.of());
    }
    IndexSearcher s = sm.acquire();
    try {
      IndexReader reader = s.getIndexReader();
      Map<String, Long> counts = new LinkedHashMap<>();
      for (String t : terms) {
        counts.put(t, (long) reader.docFreq(new Term(Fields.CONTENT, t)));
      }
      return new TermCounts(reader.getDocCount(Fields.CONTENT), counts);
    } finally {
      sm.release(s);
    }
  }

  @Override
  public long chunks() throws IOException {
    return count(new TermQuery(new Term(Fields.KIND, Fields.KIND_CHUNK)));
  }

  @Override
  public void putRoot(Root root) throws IOException {
    lock.readLock().lock();
    try {
      writer().updateDocument(new Term(Fields.ROOT_NAME, root.name()), Fields.rootDoc(root));
      dirty = true;
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public void removeRoot(String name) throws IOException {
    lock.readLock().lock();
    try {
      writer().deleteDocuments(new Term(Fields.ROOT_NAME, name));
      dirty = true;
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public List<Root> roots() throws IOException {
    List<Root> out = new ArrayList<>();
    for (Document d :
        find(new TermQuery(new Term(Fields.KIND, Fields.KIND_ROOT)), Integer.MAX_VALUE)) {
      out.add(Fields.root(d));
    }
    out.sort(Comparator.comparing(Root::name));
    return out;
  }

  @Override
  public Extent extent(String path) throws IOException {
    Query under = under(List.of(path));
    Query sources =
        new BooleanQuery.Builder()
            .add(
                new TermQuery(new Term(Fields.KIND, Fields.KIND_SOURCE)),
                BooleanClause.Occur.FILTER)
            .add(under, BooleanClause.Occur.FILTER)
            .build();
    long chunks =
        count(
            new BooleanQuery.Builder()
                .add(
                    new TermQuery(new Term(Fields.KIND, Fields.KIND_CHUNK)),
                    BooleanClause.Occur.FILTER)
                .add(under, BooleanClause.Occur.FILTER)
                .build());
    long[] filesAndBytes = new long[2];
    search(
        sources,
        Integer.MAX_VALUE,
        (stored, sd) -> {
          filesAndBytes[0]++;
          filesAndBytes[1] +=
              stored
                  .document(sd.doc, Set.of(Fields.SIZE))
                  .getField(Fields.SIZE)
                  .numericValue()
                  .longValue();
          return null;
        });
    return new Extent(filesAndBytes[0], chunks, filesAndBytes[1]);
  }

  @Override
  public long version() throws IOException {
    String[] files = Files.isDirectory(dir) ? directory.listAll() : new String[0];
    long generation = SegmentInfos.getLastCommitGeneration(files);
    return Math.max(0, generation);
  }

  @Override
  public Store within(List<String> paths) {
    return paths.isEmpty() ? this : new Scoped(this, under(paths));
  }

  /** Sources at any of {@code paths} or under it. */
  private static Query under(List<String> paths) {
    BooleanQuery.Builder any = new BooleanQuery.Builder();
    for (String p : paths) {
      String prefix = p.endsWith("/") ? p : p + "/";
      any.add(new TermQuery(new Term(Fields.SOURCE, p)), BooleanClause.Occur.SHOULD);
      any.add(new PrefixQuery(new Term(Fields.SOURCE, prefix)), BooleanClause.Occur.SHOULD);
    }
    return any.build();
  }

  @Override
  public Totals totals() throws IOException {
    long bytes = 0;
    for (String name : Files.isDirectory(dir) ? directory.listAll() : new String[0]) {
      try {
        bytes += directory.fileLength(name);
      } catch (NoSuchFileException e) {
        // Merged away between listing and sizing: it no longer counts.
      }
    }
    SearcherManager sm = searchers();
    if (sm == null) {
      return new Totals(0, 0, bytes);
    }
    IndexSearcher s = sm.acquire();
    try {
      return new Totals(
          s.count(new TermQuery(new Term(Fields.KIND, Fields.KIND_CHUNK))),
          s.count(new TermQuery(new Term(Fields.KIND, Fields.KIND_SOURCE))),
          bytes);
    } finally {
      sm.release(s);
    }
  }

  /** The searchers, refreshed when this writer changed the store or another process committed. */
  private @Nullable SearcherManager searchers() throws IOException {
    if (writer != null) {
      refreshInBackground();
      return searchers;
    }
    long now = System.nanoTime() / 1_000_000;
    if (now - lastRefresh >= REFRESH_EVERY_MS) {
      lastRefresh = now;
      SearcherManager sm = searchers;
      if (sm == null) {
        // Nothing ingested yet: the folder may not even exist; a later ingest's commit is seen.
        if (Files.isDirectory(dir) && DirectoryReader.indexExists(directory)) {
          synchronized (this) {
            if (searchers == null) {
              searchers = new SearcherManager(directory, null);
            }
          }
        }
      } else {
        sm.maybeRefresh();
      }
    }
    return searchers;
  }

  /**
   * Makes uncommitted writes searchable within about {@link #REFRESH_EVERY_MS}, on a thread of its
   * own: a reopen flushes the documents buffered since the last one into a segment, which during a
   * branch switch took a query that paid for it far over its usual time. Queries never wait for it;
   * what a commit covered is visible already (the committer reopens).
   */
  private void refreshInBackground() {
    if (!dirty || searchers == null || !refreshing.compareAndSet(false, true)) {
      return;
    }
    Thread.ofVirtual()
        .name("helix-store-refresh")
        .start(
            () -> {
              try {
                long wait = REFRESH_EVERY_MS - (System.nanoTime() / 1_000_000 - lastRefresh);
                if (wait > 0) {
                  Thread.sleep(wait);
                }
                refreshIfDirty(true);
              } catch (IOException | RuntimeException e) {
                // The store was closed meanwhile, or the disk failed: the next commit says so.
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } finally {
                refreshing.set(false);
              }
            });
  }

  private void refreshIfDirty(boolean now) throws IOException {
    SearcherManager sm = searchers;
    if (sm == null || !dirty) {
      return;
    }
    long t = System.nanoTime() / 1_000_000;
    if (now || t - lastRefresh >= REFRESH_EVERY_MS) {
      dirty = false;
      lastRefresh = t;
      touched.clear();
      sm.maybeRefreshBlocking();
    }
  }

  @Override
  public void close() throws IOException {
    SearcherManager sm = searchers;
    try {
      if (sm != null) {
        sm.close();
      }
    } finally {
      try {
        if (writer != null) {
          // Rolls back nothing that was committed; uncommitted work was never acknowledged.
          writer.close();
          Owner.clear(dir);
        }
      } finally {
        directory.close();
      }
    }
  }

  /**
   * The store seen through a scope: its searches and chunk count carry the scope's filter; every
   * other call is the whole store's. It owns nothing, so closing it closes nothing.
   */
  private static final class Scoped implements Store {
    private final LuceneStore store;
    private final Query scope;

    Scoped(LuceneStore store, Query scope) {
      this.store = store;
      this.scope = scope;
    }

    @Override
    public List<Hit> lexical(List<String> terms, int k, Set<String> sources) throws IOException {
      return store.lexical(terms, k, sources, scope);
    }

    @Override
    public List<SourceHit> sources(List<String> terms, int k) throws IOException {
      return store.sources(terms, k, scope);
    }

    @Override
    public List<DenseHit> dense(float[] vector, int k) throws IOException {
      return store.dense(vector, k, scope);
    }

    @Override
    public List<Chunk> chunks(Set<String> ids) throws IOException {
      return store.chunks(ids);
    }

    @Override
    public long chunks() throws IOException {
      return store.count(
          new BooleanQuery.Builder()
              .add(
                  new TermQuery(new Term(Fields.KIND, Fields.KIND_CHUNK)),
                  BooleanClause.Occur.FILTER)
              .add(scope, BooleanClause.Occur.FILTER)
              .build());
    }

    @Override
    public Store within(List<String> paths) {
      return store.within(paths);
    }

    @Override
    public void replace(Source source, List<Chunk> chunks) throws IOException {
      store.replace(source, chunks);
    }

    @Override
    public boolean addVectors(String source, String sha256, Map<String, float[]> vectorsById)
        throws IOException {
      return store.addVectors(source, sha256, vectorsById);
    }

    @Override
    public void delete(String source) throws IOException {
      store.delete(source);
    }

    @Override
    public void commit() throws IOException {
      store.commit();
    }

    @Override
    public Optional<Source> source(String path) throws IOException {
      return store.source(path);
    }

    @Override
    public Map<String, Source> sourcesUnder(String prefix) throws IOException {
      return store.sourcesUnder(prefix);
    }

    @Override
    public List<String> sourcesMissingVectors(int max) throws IOException {
      return store.sourcesMissingVectors(max);
    }

    @Override
    public List<Chunk> chunksOf(String source) throws IOException {
      return store.chunksOf(source);
    }

    @Override
    public List<String> terms(String text) {
      return store.terms(text);
    }

    @Override
    public TermCounts termCounts(List<String> terms) throws IOException {
      return store.termCounts(terms);
    }

    @Override
    public long chunksMissingVectors() throws IOException {
      return store.chunksMissingVectors();
    }

    @Override
    public boolean hasVectors() throws IOException {
      return store.hasVectors();
    }

    @Override
    public Totals totals() throws IOException {
      return store.totals();
    }

    @Override
    public void putRoot(Root root) throws IOException {
      store.putRoot(root);
    }

    @Override
    public void removeRoot(String name) throws IOException {
      store.removeRoot(name);
    }

    @Override
    public List<Root> roots() throws IOException {
      return store.roots();
    }

    @Override
    public Extent extent(String path) throws IOException {
      return store.extent(path);
    }

    @Override
    public long version() throws IOException {
      return store.version();
    }

    @Override
    public void close() {
      // A view: the store it looks through stays open.
    }
  }

  /** Who holds the write lock: written next to it so a second writer can say whom to wait for. */
  static final class Owner {
    private static final String FILE = "writer.owner";

    private Owner() {}

    static void write(Path dir) throws IOException {
      ProcessHandle me = ProcessHandle.current();
      String line = "pid " + me.pid() + ": " + me.info().commandLine().orElse("unknown command");
      Files.writeString(
          dir.resolve(FILE),
          line.length() > 300 ? line.substring(0, 300) + "..." : line,
          StandardCharsets.UTF_8);
    }

    static void clear(Path dir) throws IOException {
      Files.deleteIfExists(dir.resolve(FILE));
    }

    static String describe(Path dir) {
      try {
        return Files.readString(dir.resolve(FILE), StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        return "its pid is unknown";
      }
    }
  }

  static VectorSimilarityFunction similarity() {
    return VectorSimilarityFunction.COSINE;
  }

  static Field vectorField(float[] v) {
    return new KnnFloatVectorField(Fields.FILE_VECTOR, v, similarity());
  }

  static Field keyword(String name, String value) {
    return new StringField(name, value, Field.Store.YES);
  }

  static Field stored(String name, long value) {
    return new StoredField(name, value);
  }
}
