package dev.helix.context;

import dev.helix.text.Cut;
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

  /** The text embedded for a chunk: the file name and the chunk's head, capped at MAX_CHARS. */
  static String chunkText(String source, String text) {
    int slash = Math.max(source.lastIndexOf('/'), source.lastIndexOf('\\'));
    return source.substring(slash + 1) + "\n" + Cut.head(text, MAX_CHARS);
  }
}
