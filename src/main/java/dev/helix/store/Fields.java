package dev.helix.store;

import java.util.List;
import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.core.KeywordAnalyzer;
import org.apache.lucene.analysis.miscellaneous.PerFieldAnalyzerWrapper;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.index.IndexableField;
import org.jspecify.annotations.Nullable;

/** The Lucene document layout of chunks and sources, in one place. */
final class Fields {
  static final String KIND = "kind";
  static final String KIND_CHUNK = "chunk";
  static final String KIND_SOURCE = "source";
  static final String KIND_ROOT = "root";
  static final String ROOT_NAME = "root_name";
  static final String ROOT_PATH = "root_path";
  static final String LAST_SYNC = "last_sync";
  static final String ROOT_ERROR = "root_error";

  /**
   * A source's vector documents: written with the source as one placeholder ({@link #PENDING}) and
   * replaced by its chunks' vectors once embedded. Documents of their own, so adding vectors
   * rewrites neither the source's whole-file terms nor its chunks (the helix before 2026-12 put the
   * vectors into the chunk documents and re-analysed the whole file to add them).
   */
  static final String KIND_VECTOR = "vector";

  /** A vector document's key, its source's path: the filler replaces the placeholder by it. */
  static final String VECTOR_OF = "vector_of";

  /** Marks the first vector document of a source (one per source). */
  static final String FIRST_VECTOR = "vector_first";

  /**
   * How many chunks a placeholder's source has, all waiting for their vectors (doc values, summed).
   */
  static final String PENDING_CHUNKS = "vector_pending_chunks";

  /** Marks a chunk document without a vector in a store before 2026-12 ("0"; "1" with one). */
  static final String LEGACY_HAS_VECTOR = "has_vector";

  /** Marks a vector document still waiting for its vector. */
  static final String PENDING = "vector_pending";

  /**
   * A chunk's vector, on a vector document (chunk documents of stores before 2026-12 had theirs in
   * "vector").
   */
  static final String FILE_VECTOR = "chunk_vector";

  /**
   * Where the helix before 2026-12 kept a chunk's vector: in the chunk's own document (read once,
   * to migrate).
   */
  static final String LEGACY_VECTOR = "vector";

  /**
   * The id of the chunk a vector document's vector embeds (stored only: no term to collide with the
   * chunk's).
   */
  static final String VECTOR_CHUNK = "vector_chunk";

  static final String ID = "id";
  static final String SOURCE = "source";
  static final String CONTENT = "content";
  static final String PATH = "path";

  /** A source document's searchable whole-file text (its chunks' texts together). */
  static final String FILE_CONTENT = "file_content";

  /**
   * The layout a source document was written with: 2 since whole-file terms exist. A file's source
   * written before (no such field) reads with an unknown mtime, so the next ingest re-indexes it
   * instead of skipping it as unchanged and leaving it without file-level terms for good.
   */
  static final String LAYOUT = "layout";

  static final int CURRENT_LAYOUT = 2;
  static final String TEXT = "text";
  static final String START = "start";
  static final String END = "end";
  static final String CONTENT_TYPE = "content_type";
  static final String LANGUAGE = "language";
  static final String MTIME = "mtime";
  static final String SIZE = "size";
  static final String SHA256 = "sha256";
  static final String INDEXED_AT = "indexed_at";
  static final String IS_FILE = "is_file";

  /** The last few path segments are searchable words: the file name and its folders. */
  private static final int PATH_SEGMENTS = 3;

  /**
   * The searchable text fields (content, path): terms, frequencies and norms, which is all BM25
   * reads, without positions. Positions serve only phrase and span queries, which helix never runs,
   * and writing them was about a tenth of ingest's CPU (JFR on bench/store).
   */
  private static final FieldType WORDS = words();

  private Fields() {}

  private static FieldType words() {
    FieldType t = new FieldType(TextField.TYPE_NOT_STORED);
    t.setIndexOptions(IndexOptions.DOCS_AND_FREQS);
    t.freeze();
    return t;
  }

  /**
   * A searchable text field; {@code positions} only for a store written before positions were
   * dropped (Lucene refuses to mix both in one field).
   */
  static Field words(String name, String value, boolean positions) {
    return positions ? new TextField(name, value, Field.Store.NO) : new Field(name, value, WORDS);
  }

  static Analyzer indexAnalyzer() {
    Analyzer code = new CodeAnalyzer();
    return new PerFieldAnalyzerWrapper(
        new KeywordAnalyzer(), Map.of(CONTENT, code, PATH, code, FILE_CONTENT, code));
  }

  /**
   * A source's document: its state, and the whole file's words for file-level search ({@code
   * chunks} in order; none leaves them out).
   */
  static Document sourceDoc(
      Store.Source s, List<Store.Chunk> chunks, String pathWords, boolean positions) {
    Document d = sourceDoc(s);
    d.add(new StoredField(LAYOUT, CURRENT_LAYOUT));
    if (!chunks.isEmpty()) {
      StringBuilder text = new StringBuilder();
      for (Store.Chunk c : chunks) {
        text.append(c.text()).append('\n');
      }
      d.add(words(FILE_CONTENT, text.toString(), positions));
      d.add(words(PATH, pathWords, positions));
    }
    return d;
  }

  /** The state fields of a source's document, as every layout has them. */
  static Document sourceDoc(Store.Source s) {
    Document d = new Document();
    d.add(LuceneStore.keyword(KIND, KIND_SOURCE));
    d.add(LuceneStore.keyword(SOURCE, s.path()));
    d.add(LuceneStore.stored(MTIME, s.mtimeMillis()));
    d.add(LuceneStore.stored(SIZE, s.size()));
    d.add(new StoredField(SHA256, s.sha256()));
    d.add(LuceneStore.stored(INDEXED_AT, s.indexedAtMillis()));
    d.add(new StoredField(IS_FILE, s.file() ? 1 : 0));
    return d;
  }

  /**
   * A chunk's document; {@code pathWords} is what its path field indexes ({@link #pathWords}), the
   * same for every chunk of a source, so callers work it out once per source.
   */
  static Document chunkDoc(Store.Chunk c, String pathWords, boolean positions) {
    Document d = new Document();
    d.add(LuceneStore.keyword(KIND, KIND_CHUNK));
    d.add(LuceneStore.keyword(ID, c.id()));
    d.add(LuceneStore.keyword(SOURCE, c.source()));
    d.add(words(CONTENT, c.text(), positions));
    d.add(words(PATH, pathWords, positions));
    d.add(new StoredField(TEXT, c.text()));
    d.add(new StoredField(START, c.startLine()));
    d.add(new StoredField(END, c.endLine()));
    d.add(new StoredField(CONTENT_TYPE, c.contentType()));
    d.add(new StoredField(LANGUAGE, c.language()));
    d.add(LuceneStore.stored(MTIME, c.mtimeMillis()));
    d.add(LuceneStore.stored(INDEXED_AT, c.indexedAtMillis()));
    return d;
  }

  /**
   * A source's vector documents: one per chunk vector ({@code vectorsByChunk}, null for the
   * placeholder that the vector filler finds, {@link #PENDING}, which counts the source's {@code
   * chunks}; empty for a source with nothing to embed). They carry the source's term, so replacing
   * or deleting the source removes them; the first is marked {@link #FIRST_VECTOR}, so counting
   * those counts the sources that have any.
   */
  static List<Document> vectorDocs(
      String source, @Nullable Map<String, float[]> vectorsByChunk, int chunks) {
    List<Document> out = new java.util.ArrayList<>();
    if (vectorsByChunk == null || vectorsByChunk.isEmpty()) {
      Document d = vectorDoc(source, true);
      if (vectorsByChunk == null) {
        d.add(LuceneStore.keyword(PENDING, "1"));
        d.add(new NumericDocValuesField(PENDING_CHUNKS, chunks));
      }
      out.add(d);
      return out;
    }
    for (Map.Entry<String, float[]> e : vectorsByChunk.entrySet()) {
      Document d = vectorDoc(source, out.isEmpty());
      d.add(new StoredField(VECTOR_CHUNK, e.getKey()));
      d.add(LuceneStore.vectorField(e.getValue()));
      out.add(d);
    }
    return out;
  }

  private static Document vectorDoc(String source, boolean first) {
    Document d = new Document();
    d.add(LuceneStore.keyword(KIND, KIND_VECTOR));
    d.add(LuceneStore.keyword(SOURCE, source));
    d.add(LuceneStore.keyword(VECTOR_OF, source));
    if (first) {
      d.add(LuceneStore.keyword(FIRST_VECTOR, "1"));
    }
    return d;
  }

  /** A root's document: found by its name, never by a search (it has no text field). */
  static Document rootDoc(Store.Root r) {
    Document d = new Document();
    d.add(LuceneStore.keyword(KIND, KIND_ROOT));
    d.add(LuceneStore.keyword(ROOT_NAME, r.name()));
    d.add(new StoredField(ROOT_PATH, r.path()));
    d.add(LuceneStore.stored(LAST_SYNC, r.lastSyncMillis()));
    if (r.error() != null) {
      d.add(new StoredField(ROOT_ERROR, r.error()));
    }
    return d;
  }

  static Store.Root root(Document d) {
    return new Store.Root(d.get(ROOT_NAME), d.get(ROOT_PATH), num(d, LAST_SYNC), d.get(ROOT_ERROR));
  }

  static Store.Source source(Document d) {
    boolean file = num(d, IS_FILE) == 1;
    long mtime = file && d.getField(LAYOUT) == null ? -1 : num(d, MTIME);
    return new Store.Source(
        d.get(SOURCE), mtime, num(d, SIZE), d.get(SHA256), num(d, INDEXED_AT), file);
  }

  static Store.Chunk chunk(Document d) {
    return new Store.Chunk(
        d.get(ID),
        d.get(SOURCE),
        (int) num(d, START),
        (int) num(d, END),
        d.get(TEXT),
        d.get(CONTENT_TYPE),
        d.get(LANGUAGE),
        num(d, MTIME),
        num(d, INDEXED_AT),
        null);
  }

  private static long num(Document d, String name) {
    IndexableField f = d.getField(name);
    if (f == null || f.numericValue() == null) {
      throw new IllegalStateException(
          "a stored "
              + d.get(KIND)
              + " document of "
              + d.get(SOURCE)
              + " lacks its numeric field '"
              + name
              + "'; the store was written by another version: re-ingest");
    }
    return f.numericValue().longValue();
  }

  /**
   * The words of a source's path field: the whole path of posted content, else its last segments.
   */
  static String pathWords(String source, boolean posted) {
    return posted ? source : lastSegments(source);
  }

  private static String lastSegments(String path) {
    String[] parts = path.split("[/\\\\]");
    int from = Math.max(0, parts.length - PATH_SEGMENTS);
    return String.join(" ", java.util.Arrays.copyOfRange(parts, from, parts.length));
  }
}
