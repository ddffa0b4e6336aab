package dev.helix.context;

import dev.helix.compress.Tokens;
import dev.helix.store.Store;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.miscellaneous.WordDelimiterGraphFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.ByteBuffersDirectory;

/**
 * bench/store's quality suite: for each corpus, doc-sentence questions ({@link DocSentences}),
 * hand-written developer questions with every answering file, and unanswerable questions; helix's
 * rankers (lexical, dense, fused) beside whole-file BM25 in the same run; and the verdict's rates.
 *
 * <p>Usage: {@code QualityBench SUITE_DIR CORPORA_DIR WORK_DIR [CORPUS...]}. SUITE_DIR holds {@code
 * corpora.tsv} ({@code NAME<TAB>dev|held-out<TAB>description}) and, per corpus, {@code
 * developer.tsv} ({@code QUESTION<TAB>PATH[|PATH...]}, paths relative to the corpus) and {@code
 * unanswerable.txt}. CORPORA_DIR/NAME is the corpus. Vectors are cached in WORK_DIR by text, so a
 * store rebuilt after a ranking change does not embed again.
 */
public final class QualityBench {
  /** Doc-sentence questions per corpus at most (a seeded sample). */
  private static final int DOC_SENTENCES = 150;

  record Question(String text, Set<String> answers) {}

  record Corpus(
      String name,
      String role,
      Path dir,
      List<Question> docs,
      List<Question> developer,
      List<String> unanswerable) {}

  /** File-level figures of one ranker on one question set. */
  record Figures(double recall1, double recall5, double mrr10) {
    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%.3f / %.3f / %.3f", recall1, recall5, mrr10);
    }
  }

  interface Ranker {
    List<String> files(String question) throws IOException;
  }

  public static void main(String[] args) throws Exception {
    Path suite = Path.of(args[0]).toAbsolutePath();
    Path corpora = Path.of(args[1]).toAbsolutePath();
    Path work = Files.createDirectories(Path.of(args[2]).toAbsolutePath());
    Set<String> only = Set.of(java.util.Arrays.copyOfRange(args, 3, args.length));
    List<String[]> rows = new ArrayList<>();
    for (String line : Files.readAllLines(suite.resolve("corpora.tsv"))) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split("\t");
      if (!only.isEmpty() && !only.contains(f[0]) && !only.contains(f[1])) {
        continue;
      }
      rows.add(f);
    }
    List<String> summary = new ArrayList<>();
    for (String[] row : rows) {
      summary.addAll(run(suite, corpora, work, row[0], row[1]));
    }
    System.out.println();
    System.out.println(
        "== summary (file level: recall@1 / recall@5 / MRR@10; verdict: know on answerable in top 5 / miss on unanswerable / know cites an answer)");
    summary.forEach(System.out::println);
  }

  private static List<String> run(Path suite, Path corpora, Path work, String name, String role)
      throws Exception {
    Path dir = corpora.resolve(name).toRealPath();
    Path storeDir = work.resolve(name).resolve("store");
    Files.createDirectories(storeDir.getParent());
    CachedEmbedder embedder =
        new CachedEmbedder(new MiniLmEmbedder(), work.resolve(name).resolve("vectors.bin"));
    List<String> out = new ArrayList<>();
    try (LocalContextService s =
        new LocalContextService(
            Store.openWritable(storeDir),
            embedder,
            ContextServices.lazy(Tokens::new),
            Clock.systemUTC(),
            2_097_152,
            storeDir,
            true)) {
      long t0 = System.nanoTime();
      IngestReport r = s.ingest(List.of(dir), IngestProgress.NONE);
      double lexical = (System.nanoTime() - t0) / 1e9;
      s.awaitVectors(IngestProgress.NONE);
      embedder.save();
      Store store = s.store();
      List<Path> files =
          store.sourcesUnder(dir.toString()).keySet().stream().map(Path::of).sorted().toList();
      Corpus c =
          new Corpus(
              name,
              role,
              dir,
              DocSentences.of(dir, files, DOC_SENTENCES).stream()
                  .map(q -> new Question(q.text(), Set.of(q.answer())))
                  .toList(),
              developer(dir, suite.resolve(name).resolve("developer.tsv")),
              lines(suite.resolve(name).resolve("unanswerable.txt")));
      System.out.printf(
          Locale.ROOT,
          "%n=== %s (%s): %d files, %.1f MB, %d chunks (ingest %.1f s this run); %d doc-sentence, %d developer, %d unanswerable questions%n",
          name,
          role,
          files.size(),
          files.stream().mapToLong(QualityBench::size).sum() / 1048576.0,
          store.chunks(),
          lexical,
          c.docs().size(),
          c.developer().size(),
          c.unanswerable().size());
      Baseline baseline = new Baseline(files);
      for (var set :
          Map.of("doc-sentence", c.docs(), "developer", c.developer()).entrySet().stream()
              .sorted(Map.Entry.comparingByKey())
              .toList()) {
        List<Question> qs = set.getValue();
        if (qs.isEmpty()) {
          continue;
        }
        Map<String, Figures> figures = new LinkedHashMap<>();
        figures.put("whole-file BM25", score(qs, baseline::files));
        for (Ranking.Mode mode : modes()) {
          figures.put(
              "helix " + mode.name().toLowerCase(Locale.ROOT),
              score(qs, q -> files(Ranking.rank(store, embedder, q, mode).candidates())));
        }
        System.out.printf(
            "%n-- %s questions (%d): recall@1 / recall@5 / MRR@10%n", set.getKey(), qs.size());
        figures.forEach((k, v) -> System.out.printf("  %-18s %s%n", k, v));
        out.add(
            String.format(
                    Locale.ROOT,
                    "%-12s %-8s %-12s BM25 %s | lexical %s | dense %s | fused %s",
                    name,
                    role,
                    set.getKey(),
                    figures.get("whole-file BM25"),
                    figures.get("helix lexical"),
                    figures.get("helix dense"),
                    figures.get("helix fused"))
                .replace("null", "-"));
      }
      if (!Boolean.getBoolean("bench.rankersOnly")) {
        // The verdict as the default configuration gives it: with embeddings off unless
        // -Dbench.embeddings=true (the same store; this view never writes).
        LocalContextService view =
            Boolean.getBoolean("bench.embeddings")
                ? s
                : new LocalContextService(
                    store,
                    null,
                    ContextServices.lazy(Tokens::new),
                    Clock.systemUTC(),
                    2_097_152,
                    storeDir,
                    false);
        out.add(verdicts(view, c));
      }
    }
    return out;
  }

  /**
   * Know rate on answerable questions whose answer is in the top 5, miss rate on unanswerable ones,
   * know precision.
   */
  private static String verdicts(LocalContextService s, Corpus c) throws IOException {
    int inTop5 = 0;
    int knowInTop5 = 0;
    int know = 0;
    int knowCites = 0;
    List<String> dump = new ArrayList<>();
    List<Question> answerable = new ArrayList<>(c.docs());
    answerable.addAll(c.developer());
    for (Question q : answerable) {
      ContextAnswer a = s.context(new ContextRequest(q.text(), 6000, 8));
      boolean top5 =
          files(s.judge(q.text()).ranking().candidates()).stream()
              .limit(5)
              .anyMatch(q.answers()::contains);
      boolean isKnow = a.verdict() instanceof Verdict.Know;
      inTop5 += top5 ? 1 : 0;
      knowInTop5 += top5 && isKnow ? 1 : 0;
      if (isKnow) {
        know++;
        knowCites += a.citations().stream().anyMatch(x -> q.answers().contains(x.source())) ? 1 : 0;
      }
      dump.add(dumpLine(s, c.name(), top5 ? "answerable" : "answerable-missed", q.text()));
    }
    int miss = 0;
    for (String q : c.unanswerable()) {
      ContextAnswer a = s.context(new ContextRequest(q, 6000, 8));
      if (a.verdict() instanceof Verdict.Miss) {
        miss++;
      } else {
        System.out.println("  know on unanswerable: " + q);
      }
      dump.add(dumpLine(s, c.name(), "unanswerable", q));
    }
    String dumpFile = System.getProperty("bench.dump");
    if (dumpFile != null) {
      Files.write(
          Path.of(dumpFile),
          dump,
          java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
    }
    String line =
        String.format(
            Locale.ROOT,
            "%-12s %-8s verdict      know %.3f (%d/%d) | miss %.3f (%d/%d) | cites %.3f (%d/%d)",
            c.name(),
            c.role(),
            ratio(knowInTop5, inTop5),
            knowInTop5,
            inTop5,
            ratio(miss, c.unanswerable().size()),
            miss,
            c.unanswerable().size(),
            ratio(knowCites, know),
            knowCites,
            know);
    System.out.println(line);
    return line;
  }

  /**
   * The rankers to compare: all, or those named in -Dbench.modes (e.g. lexical,fused) while tuning.
   */
  private static List<Ranking.Mode> modes() {
    String only = System.getProperty("bench.modes");
    return only == null
        ? List.of(Ranking.Mode.values())
        : java.util.Arrays.stream(only.split(","))
            .map(m -> Ranking.Mode.valueOf(m.strip().toUpperCase(Locale.ROOT)))
            .toList();
  }

  private static String dumpLine(LocalContextService s, String corpus, String kind, String q)
      throws IOException {
    Verdicts.Judged j = s.judge(q);
    Evidence.Score sc = j.score();
    Store store = s.store();
    List<String> terms = j.terms();
    StringBuilder f = new StringBuilder();
    if (!j.ranking().candidates().isEmpty() && !terms.isEmpty()) {
      String top = j.ranking().candidates().getFirst().chunk().source();
      Set<String> fileTerms = new java.util.HashSet<>(store.terms(top));
      for (Store.Chunk c : store.chunksOf(top)) {
        fileTerms.addAll(store.terms(c.text()));
      }
      Store.TermCounts counts = store.termCounts(terms);
      double all = 0, inFile = 0, inCorpus = 0, absentMax = 0;
      for (String t : terms) {
        long df = counts.chunksWith().getOrDefault(t, 0L);
        double w = Evidence.idf(counts.chunks(), Math.max(1, df));
        all += w;
        inFile += fileTerms.contains(t) ? w : 0;
        inCorpus += df > 0 ? w : 0;
        if (!fileTerms.contains(t)) {
          absentMax = Math.max(absentMax, w);
        }
      }
      double max = Verdicts.maxFused(j.ranking());
      List<Ranking.Candidate> c = j.ranking().candidates();
      double second = j.ranking().nextFileFused();
      f.append(inFile / all)
          .append('\t')
          .append(inCorpus / all)
          .append('\t')
          .append(absentMax)
          .append('\t')
          .append(c.getFirst().fused() / max)
          .append('\t')
          .append((c.getFirst().fused() - second) / max)
          .append('\t')
          .append(terms.size())
          .append('\t')
          .append(Math.log(counts.chunks()))
          .append('\t')
          .append(j.ranking().topCosine());
    }
    return corpus
        + "\t"
        + kind
        + "\t"
        + sc.confidence()
        + "\t"
        + sc.coverage()
        + "\t"
        + f
        + "\t"
        + q;
  }

  private static double ratio(int a, int b) {
    return b == 0 ? Double.NaN : (double) a / b;
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      return 0;
    }
  }

  static Figures score(List<Question> questions, Ranker ranker) throws IOException {
    double r1 = 0;
    double r5 = 0;
    double mrr = 0;
    for (Question q : questions) {
      List<String> files = ranker.files(q.text());
      int rank = 0;
      for (int i = 0; i < Math.min(10, files.size()); i++) {
        if (q.answers().contains(files.get(i))) {
          rank = i + 1;
          break;
        }
      }
      if (Boolean.getBoolean("bench.misses") && (rank == 0 || rank > 5)) {
        System.out.println(
            "  MISS "
                + q.text()
                + "\n     want "
                + q.answers().stream().map(a -> a.substring(a.lastIndexOf('/') + 1)).toList()
                + "\n     got  "
                + files.stream().limit(5).map(a -> a.substring(a.lastIndexOf('/') + 1)).toList());
      }
      r1 += rank == 1 ? 1 : 0;
      r5 += rank >= 1 && rank <= 5 ? 1 : 0;
      mrr += rank >= 1 ? 1.0 / rank : 0;
    }
    int n = questions.size();
    return new Figures(r1 / n, r5 / n, mrr / n);
  }

  static List<String> files(List<Ranking.Candidate> candidates) {
    Set<String> out = new LinkedHashSet<>();
    for (Ranking.Candidate c : candidates) {
      out.add(c.chunk().source());
    }
    return List.copyOf(out);
  }

  private static List<String> lines(Path file) throws IOException {
    if (!Files.exists(file)) {
      return List.of();
    }
    return Files.readAllLines(file).stream()
        .filter(l -> !l.isBlank() && !l.startsWith("#"))
        .toList();
  }

  /**
   * {@code QUESTION<TAB>PATH[|PATH...]} lines, paths relative to the corpus; every path must exist.
   */
  static List<Question> developer(Path corpus, Path file) throws IOException {
    List<Question> out = new ArrayList<>();
    for (String line : lines(file)) {
      String[] parts = line.split("\t");
      if (parts.length != 2) {
        throw new IllegalArgumentException(
            file + ": expected QUESTION<TAB>PATH[|PATH...], got: " + line);
      }
      Set<String> answers = new LinkedHashSet<>();
      for (String p : parts[1].split("\\|")) {
        Path answer = corpus.resolve(p.strip());
        if (!Files.isRegularFile(answer)) {
          throw new IllegalArgumentException(
              file + ": the answer " + answer + " is not a file of the corpus");
        }
        answers.add(answer.toString());
      }
      out.add(new Question(parts[0].strip(), answers));
    }
    return out;
  }

  /**
   * The plain baseline: a bare Lucene index of whole files (the files helix indexed), Lucene's
   * StandardTokenizer with camelCase splitting, lower-cased, English stop words, no stemming.
   */
  static final class Baseline {
    private final Analyzer analyzer =
        new Analyzer() {
          @Override
          protected TokenStreamComponents createComponents(String field) {
            Tokenizer source = new StandardTokenizer();
            TokenStream s =
                new WordDelimiterGraphFilter(
                    source,
                    WordDelimiterGraphFilter.GENERATE_WORD_PARTS
                        | WordDelimiterGraphFilter.SPLIT_ON_CASE_CHANGE
                        | WordDelimiterGraphFilter.PRESERVE_ORIGINAL,
                    null);
            s = new LowerCaseFilter(s);
            s = new StopFilter(s, new CharArraySet(EnglishAnalyzer.ENGLISH_STOP_WORDS_SET, true));
            return new TokenStreamComponents(source, s);
          }
        };
    private final IndexSearcher searcher;

    Baseline(List<Path> files) throws IOException {
      ByteBuffersDirectory dir = new ByteBuffersDirectory();
      try (IndexWriter w = new IndexWriter(dir, new IndexWriterConfig(analyzer))) {
        for (Path p : files) {
          Document d = new Document();
          d.add(new StringField("path", p.toString(), Field.Store.YES));
          d.add(new TextField("body", Texts.decode(Files.readAllBytes(p)), Field.Store.NO));
          w.addDocument(d);
        }
      }
      searcher = new IndexSearcher(DirectoryReader.open(dir));
    }

    List<String> files(String question) throws IOException {
      BooleanQuery.Builder b = new BooleanQuery.Builder();
      Set<String> terms = new LinkedHashSet<>();
      try (TokenStream ts = analyzer.tokenStream("body", question)) {
        CharTermAttribute t = ts.addAttribute(CharTermAttribute.class);
        ts.reset();
        while (ts.incrementToken()) {
          terms.add(t.toString());
        }
        ts.end();
      }
      terms.stream()
          .limit(IndexSearcher.getMaxClauseCount())
          .forEach(t -> b.add(new TermQuery(new Term("body", t)), BooleanClause.Occur.SHOULD));
      List<String> out = new ArrayList<>();
      for (ScoreDoc sd : searcher.search(b.build(), 10).scoreDocs) {
        out.add(searcher.storedFields().document(sd.doc).get("path"));
      }
      return out;
    }
  }

  /** MiniLM with its vectors kept on disk by text, so a rebuilt store embeds only new texts. */
  static final class CachedEmbedder implements Embedder {
    private final Embedder model;
    private final Path file;
    private final Map<String, float[]> cache = new ConcurrentHashMap<>();

    CachedEmbedder(Embedder model, Path file) throws IOException {
      this.model = model;
      this.file = file;
      if (Files.exists(file)) {
        try (DataInputStream in =
            new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)))) {
          int n = in.readInt();
          for (int i = 0; i < n; i++) {
            String key = in.readUTF();
            float[] v = new float[in.readInt()];
            for (int j = 0; j < v.length; j++) {
              v[j] = in.readFloat();
            }
            cache.put(key, v);
          }
        }
      }
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
      List<String> missing =
          texts.stream()
              .map(CachedEmbedder::key)
              .filter(k -> !cache.containsKey(k))
              .distinct()
              .toList();
      if (!missing.isEmpty()) {
        List<String> missingTexts =
            texts.stream().filter(t -> !cache.containsKey(key(t))).distinct().toList();
        List<float[]> vs = model.embedAll(missingTexts);
        for (int i = 0; i < missingTexts.size(); i++) {
          cache.put(key(missingTexts.get(i)), vs.get(i));
        }
      }
      return texts.stream().map(t -> cache.get(key(t))).toList();
    }

    private static String key(String text) {
      return Hashes.sha256(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    void save() throws IOException {
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      try (DataOutputStream out =
          new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(tmp)))) {
        out.writeInt(cache.size());
        for (var e : cache.entrySet()) {
          out.writeUTF(e.getKey());
          out.writeInt(e.getValue().length);
          for (float f : e.getValue()) {
            out.writeFloat(f);
          }
        }
      }
      Files.move(
          tmp,
          file,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
  }
}
