package dev.helix.context;

import dev.helix.config.HelixConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.FSDirectory;

/**
 * The speed benchmark of bench/store: a store of 100k+ chunks (the corpus copied N times), lexical
 * ingest against a bare Lucene index of the same files, re-ingest of the unchanged tree, open time,
 * warm query latency against grep, heap and store size, and ingest with embeddings of one copy.
 *
 * <p>Usage: {@code SpeedBench CORPUS_DIR WORK_DIR COPIES EMBED_SUBSET_DIR [queries]}; {@code
 * queries} reuses the store of an earlier run and measures open and query times only; {@code
 * fused-queries} does the same with embeddings on (filling the store's missing vectors first,
 * timed); {@code embeddings} runs only the ingest with embeddings of one copy of the corpus beside
 * the lexical ingest of the same tree in the same run; {@code ingest} runs only the lexical ingest
 * (with its baseline), then once more in the warm JVM.
 */
public final class SpeedBench {
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean)
          java.lang.management.ManagementFactory.getOperatingSystemMXBean();
  private static final java.lang.management.ThreadMXBean THREADS =
      java.lang.management.ManagementFactory.getThreadMXBean();

  /**
   * CPU seconds of this whole process so far: on a shared machine, wall time measures the
   * neighbours.
   */
  private static double cpu() {
    return OS.getProcessCpuTime() / 1e9;
  }

  public static void main(String[] args) throws Exception {
    Path corpus = Path.of(args[0]).toAbsolutePath();
    Path work = Files.createDirectories(Path.of(args[1]).toAbsolutePath());
    int copies = Integer.parseInt(args[2]);
    Path tree = work.resolve("tree");
    if (!Files.exists(tree)) {
      for (int i = 0; i < copies; i++) {
        copy(corpus, tree.resolve("copy" + i));
      }
    }
    long bytes = size(tree);
    double mb = bytes / 1048576.0;
    System.out.printf("tree: %d copies of %s, %.1f MB%n", copies, corpus, mb);

    if (args.length > 4 && args[4].equals("embeddings")) {
      embeddings(work, corpus);
      return;
    }
    Path storeRoot = work.resolve("helix");
    HelixConfig lexical = TestConfigs.store(storeRoot, false, 2_097_152);
    if (args.length > 4 && args[4].equals("fused-queries")) {
      // The tree is COPIES identical copies: vectors are cached by text, so filling embeds one
      // copy.
      Path storeDir = storeRoot.resolve("store");
      QualityBench.CachedEmbedder cached =
          new QualityBench.CachedEmbedder(new MiniLmEmbedder(), work.resolve("vectors.bin"));
      try (LocalContextService s =
          new LocalContextService(
              dev.helix.store.Store.openWritable(storeDir),
              cached,
              ContextServices.lazy(dev.helix.compress.Tokens::new),
              java.time.Clock.systemUTC(),
              2_097_152,
              storeDir,
              true)) {
        long f0 = System.nanoTime();
        double c0 = cpu();
        long missing = s.stats().vectorsPending();
        s.awaitVectors(IngestProgress.NONE);
        cached.save();
        System.out.printf(
            "vectors filled for %d sources of the store (embedding cached by text): %.1f s, %.1f CPU-s%n",
            missing, (System.nanoTime() - f0) / 1e9, cpu() - c0);
      }
      queries(corpus, tree, TestConfigs.store(storeRoot, true, 2_097_152), "fused");
      return;
    }
    boolean queriesOnly = args.length > 4 && args[4].equals("queries");
    if (!queriesOnly) {
      ingest(tree, mb, work, storeRoot, lexical);
    }
    if (args.length > 4 && args[4].equals("ingest")) {
      warmIngest(tree, mb, work);
      return;
    }
    queries(corpus, tree, lexical, "lexical");
    if (!queriesOnly) {
      embeddings(work, corpus);
    }
  }

  private static void ingest(Path tree, double mb, Path work, Path storeRoot, HelixConfig lexical)
      throws Exception {
    // Baseline: a bare Lucene index, one document per file, StandardAnalyzer, no chunking.
    Path bare = work.resolve("bare");
    deleteTree(bare);
    long t0 = System.nanoTime();
    double c0 = cpu();
    try (FSDirectory d = FSDirectory.open(bare);
        IndexWriter w =
            new IndexWriter(
                d, new IndexWriterConfig(new StandardAnalyzer()).setRAMBufferSizeMB(64));
        Stream<Path> files = Files.walk(tree)) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        Document doc = new Document();
        doc.add(new StringField("path", p.toString(), Field.Store.YES));
        doc.add(new TextField("body", Files.readString(p), Field.Store.YES));
        w.addDocument(doc);
      }
      w.commit();
    }
    double bareSeconds = (System.nanoTime() - t0) / 1e9;
    double bareCpu = cpu() - c0;
    System.out.printf(
        "baseline bare Lucene ingest (1 thread): %.1f s, %.1f MB/s; %.1f CPU-s, %.1f MB per CPU-second%n",
        bareSeconds, mb / bareSeconds, bareCpu, mb / bareCpu);

    deleteTree(storeRoot.resolve("store"));
    IngestReport first;
    IngestReport second;
    double firstCpu;
    try (ContextService s = ContextServices.open(lexical)) {
      double h0 = cpu();
      first = s.ingest(List.of(tree), IngestProgress.NONE);
      firstCpu = cpu() - h0;
      second = s.ingest(List.of(tree), IngestProgress.NONE);
    }
    System.out.printf(
        "helix lexical ingest: %d files, %d chunks, %.1f s, %.1f MB/s (%.2fx the bare Lucene baseline);"
            + " %.1f CPU-s, %.1f MB per CPU-second (%.2fx the baseline's), so %.1f MB/s on 2 idle cores%n",
        first.files(),
        first.chunks(),
        first.seconds(),
        mb / first.seconds(),
        bareSeconds / first.seconds(),
        firstCpu,
        mb / firstCpu,
        bareCpu / firstCpu,
        2 * mb / firstCpu);
    System.out.printf(
        "re-ingest unchanged: %.2f s (%.1fx faster than the first)%n",
        second.seconds(), first.seconds() / second.seconds());
  }

  /**
   * The same lexical ingest again in this now warm JVM, into a fresh store: the cost per MB once
   * the JIT has compiled the ingest path (a fresh JVM's first ingest also pays for compiling it).
   */
  private static void warmIngest(Path tree, double mb, Path work) throws Exception {
    Path root = work.resolve("helix-warm");
    deleteTree(root);
    try (ContextService s = ContextServices.open(TestConfigs.store(root, false, 2_097_152))) {
      double c0 = cpu();
      IngestReport r = s.ingest(List.of(tree), IngestProgress.NONE);
      double used = cpu() - c0;
      System.out.printf(
          "helix lexical ingest again, warm JVM, fresh store: %.1f s, %.1f MB/s; %.1f CPU-s, %.1f MB per CPU-second%n",
          r.seconds(), mb / r.seconds(), used, mb / used);
    }
  }

  private static void queries(Path corpus, Path tree, HelixConfig config, String label)
      throws Exception {

    long o0 = System.nanoTime();
    try (ContextService s = ContextServices.open(config)) {
      StoreStats stats = s.stats();
      double openMs = (System.nanoTime() - o0) / 1e6;
      System.out.printf(
          "open + stats of the %d-chunk store: %.0f ms; store size %.1f MB%n",
          stats.chunks(), openMs, stats.storeBytes() / 1048576.0);
      List<DocSentences.Question> qs = DocSentences.of(corpus, javaFiles(corpus), 300);
      for (int i = 0; i < 200; i++) {
        s.context(new ContextRequest(qs.get(i % qs.size()).text(), 6000, 8));
      }
      double[] lat = new double[600];
      double[] cpuLat = new double[lat.length];
      for (int i = 0; i < lat.length; i++) {
        long q0 = System.nanoTime();
        long qc = THREADS.getCurrentThreadCpuTime();
        s.context(new ContextRequest(qs.get(i % qs.size()).text(), 6000, 8));
        cpuLat[i] = (THREADS.getCurrentThreadCpuTime() - qc) / 1e6;
        lat[i] = (System.nanoTime() - q0) / 1e6;
      }
      Arrays.sort(lat);
      Arrays.sort(cpuLat);
      double p50 = lat[lat.length / 2];
      double p99 = lat[(int) (lat.length * 0.99)];
      System.out.printf(
          "query /context CPU time of the querying thread: p50 %.1f ms, p99 %.1f ms%n",
          cpuLat[cpuLat.length / 2], cpuLat[(int) (cpuLat.length * 0.99)]);
      System.gc();
      long heap = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
      System.out.printf(
          "query /context (%s, warm, %d queries): p50 %.1f ms, p99 %.1f ms; heap after GC %.0f MB%n",
          label, lat.length, p50, p99, heap / 1048576.0);
      double[] grep = new double[20];
      for (int i = 0; i < grep.length; i++) {
        String word =
            Arrays.stream(qs.get(i).text().split("\\W+"))
                .max(Comparator.comparingInt(String::length))
                .orElse("x");
        long g0 = System.nanoTime();
        Process p =
            new ProcessBuilder("grep", "-rliF", word, tree.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        p.waitFor();
        grep[i] = (System.nanoTime() - g0) / 1e6;
      }
      Arrays.sort(grep);
      System.out.printf(
          "baseline grep -rliF (longest word of the question) over the tree: median %.0f ms (helix p50 is %.0fx faster)%n",
          grep[grep.length / 2], grep[grep.length / 2] / p50);
    }
  }

  /**
   * Ingest with embeddings of one copy of the corpus (~15 MB) against the lexical ingest of the
   * same tree in the same run, lexical before and after (the first pays for the JIT), so the ratio
   * is taken against the faster of the two.
   */
  private static void embeddings(Path work, Path tree) throws Exception {
    long bytes = size(tree);
    double mb = bytes / 1048576.0;
    double lexical1 = lexicalIngest(work, tree);
    Path embedRoot = work.resolve("helix-embed");
    deleteTree(embedRoot);
    try (ContextService s = ContextServices.open(TestConfigs.store(embedRoot, true, 2_097_152))) {
      long e0 = System.nanoTime();
      double ec0 = cpu();
      IngestReport r = s.ingest(List.of(tree), IngestProgress.NONE);
      double lexSeconds = (System.nanoTime() - e0) / 1e9;
      s.awaitVectors(IngestProgress.NONE);
      double all = (System.nanoTime() - e0) / 1e9;
      double allCpu = cpu() - ec0;
      double lexical2 = lexicalIngest(work, tree);
      double best = Math.min(lexical1, lexical2);
      System.out.printf(
          "lexical ingest of the same tree: %.1f s and %.1f s (%.1f MB/s at best)%n",
          lexical1, lexical2, mb / best);
      System.out.printf(
          "ingest with embeddings (%s, %.1f MB, %d files, %d chunks): lexical part %.1f s, until every vector is in"
              + " %.1f s = %.2f MB/s, %.2fx the lexical ingest; %.1f CPU-s (%.2f MB per CPU-second)%n",
          tree.getFileName(),
          mb,
          r.files(),
          r.chunks(),
          lexSeconds,
          all,
          mb / all,
          all / best,
          allCpu,
          mb / allCpu);
      List<DocSentences.Question> qs = DocSentences.of(tree, javaFiles(tree), 100);
      for (int i = 0; i < 100; i++) {
        s.context(new ContextRequest(qs.get(i % qs.size()).text(), 6000, 8));
      }
      double[] lat = new double[300];
      for (int i = 0; i < lat.length; i++) {
        long q0 = System.nanoTime();
        s.context(new ContextRequest(qs.get(i % qs.size()).text(), 6000, 8));
        lat[i] = (System.nanoTime() - q0) / 1e6;
      }
      Arrays.sort(lat);
      System.out.printf(
          "query /context (fused lexical + dense, warm, %d-chunk store): p50 %.1f ms, p99 %.1f ms%n",
          r.chunks(), lat[lat.length / 2], lat[(int) (lat.length * 0.99)]);
    }
  }

  /** Seconds of a lexical ingest of {@code tree} into a fresh store. */
  private static double lexicalIngest(Path work, Path tree) throws Exception {
    Path root = work.resolve("helix-lexical-15");
    deleteTree(root);
    try (ContextService s = ContextServices.open(TestConfigs.store(root, false, 2_097_152))) {
      long t0 = System.nanoTime();
      s.ingest(List.of(tree), IngestProgress.NONE);
      return (System.nanoTime() - t0) / 1e9;
    }
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : files.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }

  private static long size(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      long n = 0;
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        n += Files.size(p);
      }
      return n;
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      List<Path> all = new ArrayList<>(files.toList());
      all.sort(Comparator.reverseOrder());
      for (Path p : all) {
        Files.delete(p);
      }
    }
  }

  /** The Java files under {@code dir}, sorted: the doc-sentence questions' sources. */
  private static List<Path> javaFiles(Path dir) throws java.io.IOException {
    try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(dir)) {
      return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
    }
  }
}
