package dev.helix.compress;

/** A compressor for one kind of text. Each returns text of at most {@code budget} tokens. */
sealed interface Compressor
    permits LogCompressor, JsonCompressor, DiffCompressor, CodeCompressor, ProseCompressor {

  /**
   * {@code text} shrunk to at most {@code budget} tokens, keeping what matters for {@code query}.
   */
  Packed compress(String text, int budget, Query query);

  /**
   * A compressed text, how many units (lines, sentences, JSON items and keys) its omission notes
   * say were left out, and its exact token count when the compressor already knows it (else -1).
   */
  record Packed(String text, int omitted, int tokens) {
    Packed(String text, int omitted) {
      this(text, omitted, -1);
    }
  }
}
