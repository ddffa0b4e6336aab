package dev.helix.context;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import java.util.List;

/**
 * all-MiniLM-L6-v2 (quantized), shipped inside the langchain4j jar: no download at run time. The
 * model (23 MB of ONNX) loads on first use only, because loading it costs about a second and most
 * CLI commands never embed. The model's own executor embeds the texts of one call in parallel, one
 * per core.
 */
final class MiniLmEmbedder implements Embedder {
  private static final class Holder {
    // Class initialisation is the lazy, thread-safe load.
    static final EmbeddingModel MODEL =
        new dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel();
  }

  @Override
  public List<float[]> embedAll(List<String> texts) {
    List<TextSegment> segments = texts.stream().map(t -> TextSegment.from(t.isBlank() ? "(empty)" : t)).toList();
    return Holder.MODEL.embedAll(segments).content().stream().map(Embedding::vector).toList();
  }
}
