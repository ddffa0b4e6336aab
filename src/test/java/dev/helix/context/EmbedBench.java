package dev.helix.context;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The ceiling of ingest with embeddings (bench/store helper): texts per second of the bare model on
 * real chunk heads, one call per text and in batches, with the process CPU time. Usage: EmbedBench
 * DIR [N].
 */
public final class EmbedBench {
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 256;
    List<String> texts = new ArrayList<>();
    long bytes = 0;
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
        String text = Files.readString(p);
        for (Store_Chunk c : chunks(p.toString(), text)) {
          texts.add(Embedder.chunkText(c.source, c.text));
          bytes += c.text.length();
        }
        if (texts.size() >= n) {
          break;
        }
      }
    }
    texts = texts.subList(0, Math.min(n, texts.size()));
    MiniLmEmbedder model = new MiniLmEmbedder();
    model.embedAll(texts.subList(0, 8));
    var os =
        (com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    for (int batch : new int[] {1, 16, 64}) {
      long c0 = os.getProcessCpuTime();
      long t0 = System.nanoTime();
      for (int i = 0; i < texts.size(); i += batch) {
        model.embedAll(texts.subList(i, Math.min(texts.size(), i + batch)));
      }
      double s = (System.nanoTime() - t0) / 1e9;
      double cpu = (os.getProcessCpuTime() - c0) / 1e9;
      System.out.printf(
          "bare MiniLM, %d chunk heads, batches of %d: %.1f s wall, %.1f s CPU, %.0f texts/s (%.0f texts per CPU-second)%n",
          texts.size(), batch, s, cpu, texts.size() / s, texts.size() / cpu);
    }
    System.out.printf("average chunk: %d chars%n", bytes / Math.max(1, texts.size()));
    List<String> queries =
        List.of(
            "how are entries evicted from the cache",
            "parse a JSON number into a BigDecimal",
            "which class formats dates for the default pretty printer");
    long t0 = System.nanoTime();
    for (int i = 0; i < 60; i++) {
      model.embed(queries.get(i % queries.size()));
    }
    System.out.printf(
        "one query embedding: %.1f ms average%n", (System.nanoTime() - t0) / 1e6 / 60);
  }

  private record Store_Chunk(String source, String text) {}

  private static List<Store_Chunk> chunks(String source, String text) {
    return Chunker.split(text, Language.of(source).style()).stream()
        .map(p -> new Store_Chunk(source, p.text()))
        .toList();
  }
}
