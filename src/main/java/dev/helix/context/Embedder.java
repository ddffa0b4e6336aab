package dev.helix.context;

import java.util.List;

/** Turns texts into unit vectors for dense search. */
interface Embedder {
  /**
   * Characters of a chunk that are embedded: its head (doc comment, signature) carries its meaning,
   * and the model manages only about 30 such heads per CPU-second (EmbedBench,
   * bench/store/RESULTS.md), so more text would make vector filling slower still.
   */
  int MAX_CHARS = 320;

  List<float[]> embedAll(List<String> texts);

  default float[] embed(String text) {
    return embedAll(List.of(text)).getFirst();
  }

  /**
   * The text embedded for a chunk: the file's name in words ({@code ResourceLeakDetector.java} →
   * "Resource Leak Detector", which the model's vocabulary knows) and the chunk's meaningful head,
   * capped at MAX_CHARS.
   */
  static String chunkText(String source, String text) {
    int slash = Math.max(source.lastIndexOf('/'), source.lastIndexOf('\\'));
    return ChunkHead.words(source.substring(slash + 1)) + "\n" + ChunkHead.of(text, MAX_CHARS);
  }
}
