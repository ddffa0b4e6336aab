package dev.helix.context;

import dev.helix.compress.Tokens;
import dev.helix.config.OpenSearchConfig;
import dev.helix.store.OpenSearchNode;
import dev.helix.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * bench/opensearch: one corpus into both backends in one run (a real OpenSearch node in a child
 * process, the embedded Lucene store in a temp folder), the same questions through the same
 * ranking, and per backend file-level recall@5, ingest MB/s and the context call's p50/p99. Both
 * rank lexically: the OpenSearch store keeps no vectors yet, so Lucene runs without them too.
 *
 * <p>Arguments: CORPUS_DIR DEVELOPER_TSV WORK_DIR.
 */
public final class OpenSearchBench {
  private static final int ROUNDS = 5;

  private OpenSearchBench() {}

  public static void main(String[] args) throws Exception {
    Path corpus = Path.of(args[0]).toRealPath();
    Path developer = Path.of(args[1]);
    Path work = Files.createDirectories(Path.of(args[2]));
    try (OpenSearchNode node = OpenSearchNode.start()) {
      OpenSearchConfig config =
          new OpenSearchConfig(
              List.of(node.url().toString()),
              "helix-bench-" + System.currentTimeMillis(),
              null,
              null,
              null,
              true,
              "bench@" + "localhost");
      Path luceneDir = Files.createTempDirectory(work, "lucene-");
      Figures os = run("opensearch", Store.openOpenSearch(config), work, corpus, developer);
      Figures lucene = run("lucene", Store.openWritable(luceneDir), luceneDir, corpus, developer);
      System.out.printf(
          Locale.ROOT,
          "opensearch recall@5=%.3f lucene recall@5=%.3f ingest_mb_s=%.2f/%.2f p50_ms=%.1f/%.1f%n",
          os.recall5(),
          lucene.recall5(),
          os.mbPerSecond(),
          lucene.mbPerSecond(),
          os.p50(),
          lucene.p50());
    }
  }

  private record Figures(double recall5, double mbPerSecond, double p50, double p99) {}

  private static Figures run(String name, Store store, Path dir, Path corpus, Path developer)
      throws Exception {
    try (LocalContextService s =
        new LocalContextService(
            store,
            null,
            ContextServices.lazy(Tokens::new),
            Clock.systemUTC(),
            2_097_152,
            dir,
            true)) {
      long t0 = System.nanoTime();
      IngestReport report = s.ingest(List.of(corpus), IngestProgress.NONE);
      double seconds = (System.nanoTime() - t0) / 1e9;
      double mb = bytes(corpus) / 1048576.0;
      List<Path> files =
          store.sourcesUnder(corpus.toString()).keySet().stream().map(Path::of).sorted().toList();
      List<QualityBench.Question> questions = new ArrayList<>();
      DocSentences.of(corpus, files, 150)
          .forEach(q -> questions.add(new QualityBench.Question(q.text(), Set.of(q.answer()))));
      questions.addAll(QualityBench.developer(corpus, developer));
      QualityBench.Figures recall =
          QualityBench.score(
              questions,
              q ->
                  QualityBench.files(
                      Ranking.rank(store, null, q, Ranking.Mode.LEXICAL).candidates()));
      for (QualityBench.Question q : questions) { // warm-up
        s.context(new ContextRequest(q.text(), 6000, 8));
      }
      List<Double> millis = new ArrayList<>();
      for (int round = 0; round < ROUNDS; round++) {
        for (QualityBench.Question q : questions) {
          long q0 = System.nanoTime();
          s.context(new ContextRequest(q.text(), 6000, 8));
          millis.add((System.nanoTime() - q0) / 1e6);
        }
      }
      double[] sorted = millis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      Figures f =
          new Figures(
              recall.recall5(),
              mb / seconds,
              sorted[sorted.length / 2],
              sorted[(int) Math.ceil(sorted.length * 0.99) - 1]);
      System.out.printf(
          Locale.ROOT,
          "%-10s %d files, %d chunks, %.1f MB in %.1f s (%.2f MB/s); %d questions: recall@1/@5/MRR@10 %s;"
              + " context p50 %.1f ms, p99 %.1f ms over %d calls%n",
          name,
          report.files(),
          store.chunks(),
          mb,
          seconds,
          f.mbPerSecond(),
          questions.size(),
          recall,
          f.p50(),
          f.p99(),
          sorted.length);
      return f;
    }
  }

  private static long bytes(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      return all.filter(Files::isRegularFile)
          .mapToLong(
              p -> {
                try {
                  return Files.size(p);
                } catch (IOException e) {
                  return 0;
                }
              })
          .sum();
    }
  }
}
