package dev.helix.context;

import dev.helix.config.HelixConfig;
import dev.helix.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
    Map<String, List<String>> unanswerable = new LinkedHashMap<>();
    unanswerable.put("off-topic", lines(Path.of(args[2])));
    if (args.length > 4) {
      unanswerable.put("near", lines(Path.of(args[4])));
    }
    Map<String, List<Question>> sets = new LinkedHashMap<>();
    if (args.length > 3) {
      sets.put("written", written(corpus, Path.of(args[3])));
    }
    sets.put("javadoc", answerable(corpus, 200));
    System.out.printf("corpus: %s (%s answerable questions, %s unanswerable)%n", corpus,
        sets.entrySet().stream().map(e -> e.getValue().size() + " " + e.getKey()).toList(),
        unanswerable.entrySet().stream().map(e -> e.getValue().size() + " " + e.getKey()).toList());

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
      // -Dbench.verdictsOnly=true skips the rankers' table, for tuning the verdict on a built store.
      for (var set : Boolean.getBoolean("bench.verdictsOnly") ? Map.<String, List<Question>>of().entrySet() : sets.entrySet()) {
        List<Question> answerable = set.getValue();
        System.out.printf("%n== %s questions (%d)%n", set.getKey(), answerable.size());
        for (Ranking.Mode mode : Ranking.Mode.values()) {
          double[] score = score(answerable, q -> Ranking.rank(store, embedder, q, mode).candidates());
          System.out.printf("%-8s recall@5 %.3f  MRR@10 %.3f%n", mode.name().toLowerCase(Locale.ROOT), score[0], score[1]);
        }
        baseline(corpus, answerable);
        for (double w : new double[] {0.25, 0.5, 0.75, 1.0, 1.5}) {
          double[] score = score(answerable, q -> Ranking.rank(store, embedder, q, Ranking.Mode.FUSED, w).candidates());
          System.out.printf("fused with dense weight %.2f: recall@5 %.3f  MRR@10 %.3f%n", w, score[0], score[1]);
        }
      }

      // Verdicts and calibration: each set of answerable questions against each unanswerable set.
      Map<String, List<Double>> missScores = new LinkedHashMap<>();
      for (var set : unanswerable.entrySet()) {
        List<Double> scores = new ArrayList<>();
        int miss = 0;
        for (String q : set.getValue()) {
          ContextAnswer a = s.context(new ContextRequest(q, 6000, 8));
          scores.add(confidence(s, set.getKey(), q, 0));
          if (a.verdict() instanceof Verdict.Miss) {
            miss++;
          } else {
            System.out.println("  know on unanswerable (" + set.getKey() + "): " + q);
          }
        }
        missScores.put(set.getKey(), scores);
        System.out.printf("%s unanswerable: miss on %.1f%% (threshold %.2f)%n", set.getKey(), 100.0 * miss / scores.size(), Evidence.KNOW);
      }
      for (var set : sets.entrySet()) {
        List<Question> answerable = set.getValue();
        List<Double> knowScores = new ArrayList<>();
        int know = 0;
        int knowRight = 0;
        for (Question q : answerable) {
          ContextAnswer a = s.context(new ContextRequest(q.text(), 6000, 8));
          knowScores.add(confidence(s, set.getKey(), q.text(), 1));
          if (a.verdict() instanceof Verdict.Know) {
            know++;
            if (a.citations().stream().limit(5).anyMatch(c -> c.source().equals(q.answer()))) {
              knowRight++;
            }
          }
        }
        System.out.printf("%n%s verdict: know on %.1f%% of answerable (%.1f%% of those cite the answer in the top 5) (threshold %.2f)%n",
            set.getKey(), 100.0 * know / answerable.size(), 100.0 * knowRight / Math.max(1, know), Evidence.KNOW);
        System.out.println("calibration: threshold -> know rate on answerable / miss rate on " + String.join(" / ", missScores.keySet()) + " unanswerable");
        for (double t = 0.30; t <= 0.901; t += 0.04) {
          double th = t;
          long k = knowScores.stream().filter(c -> c >= th).count();
          StringBuilder line = new StringBuilder(String.format("  %.2f  %.1f%%", th, 100.0 * k / answerable.size()));
          missScores.values().forEach(m -> line.append(String.format(" / %.1f%%", 100.0 * m.stream().filter(c -> c < th).count() / m.size())));
          System.out.println(line);
        }
      }
    }
  }

  /** The verdict's confidence; with -Dbench.dump=FILE also its parts, for tuning Evidence offline. */
  private static double confidence(LocalContextService s, String set, String question, int answerable) throws IOException {
    Verdicts.Judged judged = s.judge(question);
    Evidence.Score score = judged.score();
    String dump = System.getProperty("bench.dump");
    if (dump != null) {
      Files.writeString(Path.of(dump), set + "\t" + answerable + "\t" + score.coverage() + "\t" + score.semantic() + "\t" + judged.ranking().topCosine() + "\n",
          java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    }
    return score.confidence();
  }

  /** A ranker over one question, for {@link #score}. */
  interface Ranker {
    List<Ranking.Candidate> rank(String question) throws IOException;
  }

  /** Recall@5 and MRR@10 at file level: a chunk's source counts once, at its best rank. */
  static double[] score(List<Question> questions, Ranker ranker) throws IOException {
    double recall = 0;
    double mrr = 0;
    for (Question q : questions) {
      int rank = files(ranker.rank(q.text())).indexOf(q.answer()) + 1;
      recall += rank >= 1 && rank <= 5 ? 1 : 0;
      mrr += rank >= 1 && rank <= 10 ? 1.0 / rank : 0;
    }
    return new double[] {recall / questions.size(), mrr / questions.size()};
  }

  private static List<String> lines(Path file) throws IOException {
    return Files.readAllLines(file).stream().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
  }

  /** Hand-written questions: {@code QUESTION<TAB>PATH} lines, the path relative to the corpus. */
  static List<Question> written(Path corpus, Path file) throws IOException {
    List<Question> out = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      String[] parts = line.split("\t");
      if (parts.length != 2) {
        throw new IllegalArgumentException(file + ": expected QUESTION<TAB>PATH, got: " + line);
      }
      Path answer = corpus.resolve(parts[1]);
      if (!Files.isRegularFile(answer)) {
        throw new IllegalArgumentException(file + ": the answer " + answer + " is not a file of the corpus");
      }
      out.add(new Question(parts[0], answer.toString()));
    }
    return out;
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
