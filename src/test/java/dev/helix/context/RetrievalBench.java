package dev.helix.context;

import dev.helix.config.HelixConfig;
import dev.helix.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.analysis.TokenStream;
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
 * The retrieval evaluation of bench/store: questions made from class Javadoc summary sentences
 * (class name removed) whose answer is that class's file, plus questions the corpus cannot
 * answer. Prints recall@5 and MRR@10 per ranker, a whole-file BM25 baseline, the verdict rates,
 * and the calibration table of the know threshold.
 *
 * <p>Usage: {@code RetrievalBench CORPUS_DIR STORE_DIR} (the store is built with embeddings).
 */
public final class RetrievalBench {
  private static final Pattern CLASS_DOC = Pattern.compile(
      "/\\*\\*((?:(?!\\*/).)*?)\\*/\\s*(?:@[\\w.]+(?:\\([^)]*\\))?\\s*)*public\\s+(?:(?:final|abstract|static|sealed|non-sealed)\\s+)*(?:class|interface|enum|record|@interface)\\s+(\\w+)",
      Pattern.DOTALL);

  record Question(String text, String answer) {}

  public static void main(String[] args) throws Exception {
    Path corpus = Path.of(args[0]).toAbsolutePath();
    Path storeDir = Path.of(args[1]).toAbsolutePath();
    Path work = Files.createDirectories(storeDir.getParent());
    List<Question> answerable = answerable(corpus, 200);
    List<String> unanswerable = Files.readAllLines(Path.of(args[2])).stream().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
    System.out.printf("corpus: %s (%d answerable questions, %d unanswerable)%n", corpus, answerable.size(), unanswerable.size());

    HelixConfig config = TestConfigs.store(work, true, 2_097_152);
    try (ContextService service = ContextServices.open(config)) {
      LocalContextService s = (LocalContextService) service;
      long t0 = System.nanoTime();
      IngestReport r = s.ingest(List.of(corpus), IngestProgress.NONE);
      double lexicalSeconds = (System.nanoTime() - t0) / 1e9;
      s.awaitVectors(IngestProgress.NONE);
      double totalSeconds = (System.nanoTime() - t0) / 1e9;
      System.out.printf("ingest: %d files, %d chunks, %.1f MB; lexical %.1f s (%.2f MB/s), with vectors %.1f s (%.2f MB/s)%n",
          r.files(), r.chunks(), r.bytes() / 1048576.0, lexicalSeconds, r.bytes() / 1048576.0 / lexicalSeconds,
          totalSeconds, r.bytes() / 1048576.0 / totalSeconds);

      Store store = s.store();
      Embedder embedder = s.embedder();
      for (Ranking.Mode mode : Ranking.Mode.values()) {
        double recall = 0;
        double mrr = 0;
        for (Question q : answerable) {
          List<String> files = files(Ranking.rank(store, embedder, q.text(), mode).candidates());
          int rank = files.indexOf(q.answer()) + 1;
          recall += rank >= 1 && rank <= 5 ? 1 : 0;
          mrr += rank >= 1 && rank <= 10 ? 1.0 / rank : 0;
        }
        System.out.printf("%-8s recall@5 %.3f  MRR@10 %.3f%n", mode.name().toLowerCase(Locale.ROOT),
            recall / answerable.size(), mrr / answerable.size());
      }
      baseline(corpus, answerable);
      for (double w : new double[] {0.25, 0.5, 0.75, 1.0}) {
        double recall = 0;
        double mrr = 0;
        for (Question q : answerable) {
          List<String> files = files(Ranking.rank(store, embedder, q.text(), Ranking.Mode.FUSED, w).candidates());
          int rank = files.indexOf(q.answer()) + 1;
          recall += rank >= 1 && rank <= 5 ? 1 : 0;
          mrr += rank >= 1 && rank <= 10 ? 1.0 / rank : 0;
        }
        System.out.printf("fused with dense weight %.2f: recall@5 %.3f  MRR@10 %.3f%n", w, recall / answerable.size(), mrr / answerable.size());
      }

      // Verdicts and calibration.
      List<double[]> points = new ArrayList<>();
      int know = 0;
      int knowRight = 0;
      for (Question q : answerable) {
        ContextAnswer a = s.context(new ContextRequest(q.text(), 6000, 8));
        Verdicts.Judged j = s.judge(q.text());
        points.add(new double[] {j.score().confidence(), 1});
        if (a.verdict() instanceof Verdict.Know) {
          know++;
          if (a.citations().stream().limit(5).anyMatch(c -> c.source().equals(q.answer()))) {
            knowRight++;
          }
        }
      }
      int miss = 0;
      for (String q : unanswerable) {
        ContextAnswer a = s.context(new ContextRequest(q, 6000, 8));
        points.add(new double[] {s.judge(q).score().confidence(), 0});
        if (a.verdict() instanceof Verdict.Miss) {
          miss++;
        } else {
          System.out.println("  know on unanswerable: " + q);
        }
      }
      System.out.printf("verdict: know on %.1f%% of answerable (%.1f%% of those cite the answer in the top 5), miss on %.1f%% of unanswerable (threshold %.2f)%n",
          100.0 * know / answerable.size(), 100.0 * knowRight / Math.max(1, know), 100.0 * miss / unanswerable.size(), Evidence.KNOW);
      System.out.println("calibration: threshold -> know rate on answerable / miss rate on unanswerable");
      for (double t = 0.30; t <= 0.901; t += 0.04) {
        double th = t;
        long k = points.stream().filter(p -> p[1] == 1 && p[0] >= th).count();
        long m = points.stream().filter(p -> p[1] == 0 && p[0] < th).count();
        System.out.printf("  %.2f  %.1f%% / %.1f%%%n", th, 100.0 * k / answerable.size(), 100.0 * m / unanswerable.size());
      }
    }
  }

  private static List<String> files(List<Ranking.Candidate> candidates) {
    Set<String> out = new LinkedHashSet<>();
    for (Ranking.Candidate c : candidates) {
      out.add(c.chunk().source());
    }
    return List.copyOf(out);
  }

  /** Whole-file BM25 with Lucene's StandardAnalyzer: the plain baseline. */
  private static void baseline(Path corpus, List<Question> questions) throws IOException {
    StandardAnalyzer analyzer = new StandardAnalyzer();
    try (ByteBuffersDirectory dir = new ByteBuffersDirectory()) {
      try (IndexWriter w = new IndexWriter(dir, new IndexWriterConfig(analyzer)); Stream<Path> files = Files.walk(corpus)) {
        for (Path p : files.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".java")).toList()) {
          Document d = new Document();
          d.add(new StringField("path", p.toString(), Field.Store.YES));
          d.add(new TextField("body", Files.readString(p), Field.Store.NO));
          w.addDocument(d);
        }
      }
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        IndexSearcher searcher = new IndexSearcher(reader);
        double recall = 0;
        double mrr = 0;
        for (Question q : questions) {
          BooleanQuery.Builder b = new BooleanQuery.Builder();
          try (TokenStream ts = analyzer.tokenStream("body", q.text())) {
            CharTermAttribute t = ts.addAttribute(CharTermAttribute.class);
            ts.reset();
            while (ts.incrementToken()) {
              b.add(new TermQuery(new Term("body", t.toString())), BooleanClause.Occur.SHOULD);
            }
            ts.end();
          }
          ScoreDoc[] hits = searcher.search(b.build(), 10).scoreDocs;
          for (int i = 0; i < hits.length; i++) {
            if (searcher.storedFields().document(hits[i].doc).get("path").equals(q.answer())) {
              recall += i < 5 ? 1 : 0;
              mrr += 1.0 / (i + 1);
              break;
            }
          }
        }
        System.out.printf("%-8s recall@5 %.3f  MRR@10 %.3f%n", "baseline", recall / questions.size(), mrr / questions.size());
      }
    }
  }

  /**
   * Questions from class Javadoc: the first sentence of the Javadoc right above a top-level public
   * type, with {@code @code}/{@code @link} tags unwrapped, HTML removed and the class name (and its
   * camel-case words run together) removed; sentences under 6 words are dropped. A seeded sample.
   */
  static List<Question> answerable(Path corpus, int n) throws IOException {
    List<Question> all = new ArrayList<>();
    try (Stream<Path> files = Files.walk(corpus)) {
      for (Path p : files.filter(f -> f.toString().endsWith(".java") && !f.getFileName().toString().equals("package-info.java"))
          .sorted(Comparator.naturalOrder()).toList()) {
        String text = Files.readString(p);
        Matcher m = CLASS_DOC.matcher(text);
        if (!m.find()) {
          continue;
        }
        String name = m.group(2);
        if (!p.getFileName().toString().equals(name + ".java")) {
          continue;
        }
        String doc = m.group(1).replaceAll("(?m)^\\s*\\*\\s?", " ")
            .replaceAll("\\{@(?:code|link|linkplain|literal)\\s+([^}]*)}", "$1")
            .replaceAll("<[^>]+>", " ").replaceAll("\\s+", " ").strip();
        int end = doc.indexOf(". ");
        String sentence = (end > 0 ? doc.substring(0, end) : doc).replace(name, " ").replaceAll("\\s+", " ").strip();
        if (sentence.startsWith("@") || sentence.split(" ").length < 6) {
          continue;
        }
        all.add(new Question(sentence, p.toString()));
      }
    }
    java.util.Collections.shuffle(all, new Random(7));
    return all.subList(0, Math.min(n, all.size()));
  }
}
