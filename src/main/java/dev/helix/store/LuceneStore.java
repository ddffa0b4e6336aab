package dev.helix.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FieldInfos;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
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
import org.apache.lucene.util.BytesRef;
import org.jspecify.annotations.Nullable;

/**
 * The embedded Lucene store. One document per chunk plus one per source (its mtime, size and
 * hash); a source and its chunks are replaced with one {@code updateDocuments} call, which Lucene
 * applies atomically, so a crash never leaves half a file and a re-run never duplicates one.
 */
final class LuceneStore implements Store {
  /** How many query terms take part at most: long pasted questions stay fast. */
  private static final int MAX_QUERY_TERMS = 48;
  /** Idle query analyzers kept: each holds up to CodeAnalyzer.QUERY_WORDS cached words (~2 MB). */
  private static final int MAX_IDLE_QUERY_ANALYZERS = 16;
  /**
   * The weight of path terms (file and folder names) against body terms, in chunk and whole-file
   * search alike. A question about a class often names words of its file name, but a family of
   * siblings shares them (JsonParser, ParserBase, ParserMinimalBase): on bench/store's development
   * corpora 0.5 beat 1.5 by 6-16 points of recall@1 on doc-sentence questions and 0.25 and 1.0 on
   * developer questions (bench/store/RESULTS.md, 2026-12-07).
   */
  private static final float PATH_BOOST = 0.5f;
  /** A read-only store looks for a newer commit at most this often (ms), not on every query. */
  private static final long REFRESH_EVERY_MS = 500;

  private final Path dir;
  private final Directory directory;
  private final @Nullable IndexWriter writer;
  /** Analyzers for queries, each used by one thread at a time (see CodeAnalyzer.forQueries). */
  private final Deque<CodeAnalyzer> queryAnalyzers = new ConcurrentLinkedDeque<>();
  /**
   * Replacements and deletes run concurrently (shared); adding vectors checks a source's hash and
   * then rewrites it, which must not interleave with a replacement of that source (exclusive).
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
  /** Set by a commit: the next read refreshes the searchers, without waiting REFRESH_EVERY_MS. */
  private volatile boolean refreshDue;
  /**
   * Whether text fields keep positions: only in a store first written by a helix that indexed
   * them; Lucene refuses to mix both in one field, and such a store keeps working unchanged.
   */
  private final boolean positions;

  private LuceneStore(Path dir, Directory directory, @Nullable IndexWriter writer, @Nullable SearcherManager searchers,
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
      SearcherManager searchers = Files.isDirectory(dir) && DirectoryReader.indexExists(directory)
          ? new SearcherManager(directory, null) : null;
      return new LuceneStore(dir, directory, null, searchers, false);
    }
    Files.createDirectories(dir);
    return openWritable(dir, FSDirectory.open(dir));
  }

  /** Opens {@code directory} (the store at {@code dir}) for writing; tests pass a faulty directory here. */
  static LuceneStore openWritable(Path dir, Directory directory) throws IOException {
    boolean fresh = !DirectoryReader.indexExists(directory);
    IndexWriterConfig config = new IndexWriterConfig(Fields.indexAnalyzer())
        .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
        // 64 MB of buffer (Lucene's default is 16): fewer, larger segments while ingesting.
        .setRAMBufferSizeMB(64)
        // No compound files: each flush (every commit, every ~5 s of ingest) would otherwise write
        // its segment and then copy it into one .cfs file.
        .setUseCompoundFile(false);
    IndexWriter writer;
    try {
      writer = new IndexWriter(directory, config);
    } catch (LockObtainFailedException e) {
      directory.close();
      throw new IOException("the store at " + dir + " is already open for writing by another process ("
          + Owner.describe(dir) + "); wait for that ingest to finish or stop it; when a helix server owns"
          + " the store, helix ingest sends its paths to the server instead", e);
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
      FieldInfo content = FieldInfos.getMergedFieldInfos(s.getIndexReader()).fieldInfo(Fields.CONTENT);
      return content != null && content.getIndexOptions().compareTo(IndexOptions.DOCS_AND_FREQS_AND_POSITIONS) >= 0;
    } finally {
      searchers.release(s);
    }
  }

  private IndexWriter writer() throws IOException {
    if (writer == null) {
      throw new IOException("the store at " + dir + " was opened read-only; open it writable to change it"
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
        throw new IllegalArgumentException("chunk " + c.id() + " belongs to " + c.source() + ", not " + source.path());
      }
      docs.add(Fields.chunkDoc(c, pathWords, positions));
    }
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
  public boolean addVectors(String source, String sha256, Map<String, float[]> vectorsById) throws IOException {
    lock.writeLock().lock();
    try {
      if (touched.contains(source)) {
        refreshIfDirty(true);
      }
      Optional<Source> current = source(source);
      if (current.isEmpty() || !current.get().sha256().equals(sha256)) {
        return false;
      }
      List<Document> docs = new ArrayList<>();
      String pathWords = Fields.pathWords(source, !current.get().file());
      List<Chunk> chunks = chunksOf(source);
      docs.add(Fields.sourceDoc(current.get(), chunks, pathWords, positions));
      for (Chunk c : chunks) {
        float[] v = vectorsById.get(c.id());
        docs.add(Fields.chunkDoc(v == null ? c : c.withVector(v), pathWords, positions));
      }
      writer().updateDocuments(new Term(Fields.SOURCE, source), docs);
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
      throw new IOException("writing the store at " + dir + " failed (" + e.getMessage() + "); everything committed"
          + " before is kept; free disk space or fix the disk, then run the ingest again", e);
    }
    // The next read refreshes, whatever the time since the last refresh; a commit itself does not:
    // an ingest commits every few seconds, and reopening right after each commit flushed the files
    // indexed meanwhile into one more small segment that the next commit would have written anyway.
    refreshDue = true;
  }

  @Override
  public Optional<Source> source(String path) throws IOException {
    List<Document> docs = find(new BooleanQuery.Builder()
        .add(new TermQuery(new Term(Fields.KIND, Fields.KIND_SOURCE)), BooleanClause.Occur.FILTER)
        .add(new TermQuery(new Term(Fields.SOURCE, path)), BooleanClause.Occur.FILTER).build(), 1);
    return docs.stream().findFirst().map(Fields::source);
  }

  @Override
  public Map<String, Source> sourcesUnder(String prefix) throws IOException {
    String under = prefix.endsWith("/") ? prefix : prefix + "/";
    Query query = new BooleanQuery.Builder()
        .add(new TermQuery(new Term(Fields.KIND, Fields.KIND_SOURCE)), BooleanClause.Occur.FILTER)
        .add(new BooleanQuery.Builder()
            .add(new TermQuery(new Term(Fields.SOURCE, prefix)), BooleanClause.Occur.SHOULD)
            .add(new PrefixQuery(new Term(Fields.SOURCE, under)), BooleanClause.Occur.SHOULD)
            .build(), BooleanClause.Occur.FILTER)
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
    Set<String> sources = new LinkedHashSet<>();
    Query query = new BooleanQuery.Builder()
        .add(new TermQuery(new Term(Fields.KIND, Fields.KIND_CHUNK)), BooleanClause.Occur.FILTER)
        .add(new TermQuery(new Term(Fields.HAS_VECTOR, "0")), BooleanClause.Occur.FILTER).build();
    // Sources have a few chunks each: 8 docs per wanted source finds enough distinct ones.
    for (Document d : find(query, Math.max(64, max * 8))) {
      sources.add(d.get(Fields.SOURCE));
      if (sources.size() >= max) {
        break;
      }
    }
    return List.copyOf(sources);
  }

  @Override
  public List<Chunk> chunksOf(String source) throws IOException {
    Query query = new BooleanQuery.Builder()
        .add(new TermQuery(new Term(Fields.KIND, Fields.KIND_CHUNK)), BooleanClause.Occur.FILTER)
        .add(new TermQuery(new Term(Fields.SOURCE, source)), BooleanClause.Occur.FILTER).build();
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

  private List<Hit> lexical(List<String> terms, int k, Set<String> sources, @Nullable Query scope) throws IOException {
    if (terms.isEmpty()) {
      return List.of();
    }
    BooleanQuery.Builder q = new BooleanQuery.Builder()
        .add(words(Fields.CONTENT, terms), BooleanClause.Occur.MUST)
        .add(new TermQuery(new Term(Fields.KIND, Fields.KIND_CHUNK)), BooleanClause.Occur.FILTER);
    if (!sources.isEmpty()) {
      q.add(new TermInSetQuery(Fields.SOURCE, sources.stream().map(BytesRef::new).toList()), BooleanClause.Occur.FILTER);
    }
    if (scope != null) {
      q.add(scope, BooleanClause.Occur.FILTER);
    }
    return hits(q.build(), k, false);
  }

  @Override
  public List<SourceHit> sources(List<String> terms, int k) throws IOException {
    return sources(terms, k, null);
  }

  private List<SourceHit> sources(List<String> terms, int k, @Nullable Query scope) throws IOException {
    if (terms.isEmpty()) {
      return List.of();
    }
    BooleanQuery.Builder q = new BooleanQuery.Builder()
        .add(words(Fields.FILE_CONTENT, terms), BooleanClause.Occur.MUST)
        .add(new TermQuery(new Term(Fields.KIND, Fields.KIND_SOURCE)), BooleanClause.Occur.FILTER);
    if (scope != null) {
      q.add(scope, BooleanClause.Occur.FILTER);
    }
    return search(q.build(), k, (stored, sd) -> new SourceHit(stored.document(sd.doc, Set.of(Fields.SOURCE)).get(Fields.SOURCE), sd.score));
  }

  /** Any of {@code terms} in the text field {@code field}, or among the path words (weighed {@link #PATH_BOOST}). */
  private static Query words(String field, List<String> terms) {
    BooleanQuery.Builder should = new BooleanQuery.Builder();
    for (String t : terms.subList(0, Math.min(terms.size(), MAX_QUERY_TERMS))) {
      should.add(new TermQuery(new Term(field, t)), BooleanClause.Occur.SHOULD);
      should.add(new BoostQuery(new TermQuery(new Term(Fields.PATH, t)), PATH_BOOST), BooleanClause.Occur.SHOULD);
    }
    return should.build();
  }

  @Override
  public List<Hit> dense(float[] vector, int k) throws IOException {
    return dense(vector, k, null);
  }

  private List<Hit> dense(float[] vector, int k, @Nullable Query scope) throws IOException {
    if (vector.length != DIMENSIONS) {
      throw new IllegalArgumentException("a query vector has " + vector.length + " dimensions; this store keeps " + DIMENSIONS);
    }
    return hits(new KnnFloatVectorQuery(Fields.VECTOR, vector, k, scope), k, true);
  }

  @Override
  public long chunksMissingVectors() throws IOException {
    return count(new TermQuery(new Term(Fields.HAS_VECTOR, "0")));
  }

  @Override
  public boolean hasVectors() throws IOException {
    return count(new FieldExistsQuery(Fields.VECTOR)) > 0;
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

  private List<Hit> hits(Query query, int k, boolean cosine) throws IOException {
    // Lucene scores COSINE as (1 + cos) / 2; callers want the cosine itself.
    return search(query, k, (stored, sd) -> new Hit(Fields.chunk(stored.document(sd.doc)), cosine ? 2 * sd.score - 1 : sd.score));
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
    Set<String> out = new LinkedHashSet<>();
    CodeAnalyzer analyzer = queryAnalyzers.pollFirst();
    if (analyzer == null) {
      analyzer = CodeAnalyzer.forQueries();
    }
    try (TokenStream ts = analyzer.tokenStream(Fields.CONTENT, text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      ts.reset();
      while (ts.incrementToken()) {
        out.add(term.toString());
      }
      ts.end();
    } catch (IOException e) {
      throw new IllegalStateException("analysing an in-memory string failed: " + e.getMessage(), e);
    } finally {
      // Kept only up to the concurrency queries usually see; beyond it, their word caches are dropped.
      if (queryAnalyzers.size() < MAX_IDLE_QUERY_ANALYZERS) {
        queryAnalyzers.offerFirst(analyzer);
      }
    }
    return List.copyOf(out);
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
    for (Document d : find(new TermQuery(new Term(Fields.KIND, Fields.KIND_ROOT)), Integer.MAX_VALUE)) {
      out.add(Fields.root(d));
    }
    out.sort(Comparator.comparing(Root::name));
    return out;
  }

  @Override
  public Extent extent(String path) throws IOException {
    Query under = under(List.of(path));
    Query sources = new BooleanQuery.Builder()
        .add(new TermQuery(new Term(Fields.KIND, Fields.KIND_SOURCE)), BooleanClause.Occur.FILTER)
        .add(under, BooleanClause.Occur.FILTER).build();
    long chunks = count(new BooleanQuery.Builder()
        .add(new TermQuery(new Term(Fields.KIND, Fields.KIND_CHUNK)), BooleanClause.Occur.FILTER)
        .add(under, BooleanClause.Occur.FILTER).build());
    long[] filesAndBytes = new long[2];
    search(sources, Integer.MAX_VALUE, (stored, sd) -> {
      filesAndBytes[0]++;
      filesAndBytes[1] += stored.document(sd.doc, Set.of(Fields.SIZE)).getField(Fields.SIZE).numericValue().longValue();
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
      return new Totals(s.count(new TermQuery(new Term(Fields.KIND, Fields.KIND_CHUNK))),
          s.count(new TermQuery(new Term(Fields.KIND, Fields.KIND_SOURCE))), bytes);
    } finally {
      sm.release(s);
    }
  }

  /** The searchers, refreshed when this writer changed the store or another process committed. */
  private @Nullable SearcherManager searchers() throws IOException {
    if (writer != null) {
      refreshIfDirty(false);
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

  private void refreshIfDirty(boolean now) throws IOException {
    SearcherManager sm = searchers;
    if (sm == null || !dirty) {
      return;
    }
    long t = System.nanoTime() / 1_000_000;
    // While an ingest runs, a query reopens the near-real-time reader at most every 500 ms: each
    // reopen flushes a segment, and doing it per query would make tiny segments.
    if (now || refreshDue || t - lastRefresh >= REFRESH_EVERY_MS) {
      dirty = false;
      refreshDue = false;
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
    public List<Hit> dense(float[] vector, int k) throws IOException {
      return store.dense(vector, k, scope);
    }

    @Override
    public long chunks() throws IOException {
      return store.count(new BooleanQuery.Builder()
          .add(new TermQuery(new Term(Fields.KIND, Fields.KIND_CHUNK)), BooleanClause.Occur.FILTER)
          .add(scope, BooleanClause.Occur.FILTER).build());
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
    public boolean addVectors(String source, String sha256, Map<String, float[]> vectorsById) throws IOException {
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
      Files.writeString(dir.resolve(FILE), line.length() > 300 ? line.substring(0, 300) + "..." : line,
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
    return new KnnFloatVectorField(Fields.VECTOR, v, similarity());
  }

  static Field keyword(String name, String value) {
    return new StringField(name, value, Field.Store.YES);
  }

  static Field stored(String name, long value) {
    return new StoredField(name, value);
  }
}
