package dev.helix.context;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;

/**
 * all-MiniLM-L6-v2 (quantized), shipped inside the langchain4j jar: no download at run time. The
 * model (23 MB of ONNX) loads on first use only, because loading it costs about a second and most
 * CLI commands never embed. The model's own executor embeds the texts of one call in parallel, one
 * per core.
 */
final class MiniLmEmbedder implements Embedder {
  private static final class Holder {
    // Class initialisation is the lazy, thread-safe load.
    static final EmbeddingModel MODEL = withoutNativeLeftovers(
        new dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel());
  }

  /**
   * ONNX Runtime copies its native libraries into a new {@code onnxruntime-java*} temp folder and
   * marks folder and files for deletion at exit, the folder first, while it still holds them: an
   * empty folder was left by every run. Once loaded, the libraries are no longer needed on disk
   * (Linux and macOS keep a loaded library mapped), so the folder goes now; where that fails
   * (Windows), the runtime's own deletion at exit stays as it was.
   */
  private static EmbeddingModel withoutNativeLeftovers(EmbeddingModel model) {
    try {
      Field folder = Class.forName("ai.onnxruntime.OnnxRuntime").getDeclaredField("tempDirectory");
      folder.setAccessible(true);
      if (folder.get(null) instanceof Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
          files.forEach(f -> f.toFile().delete());
        }
        Files.deleteIfExists(dir);
      }
    } catch (ReflectiveOperationException | IOException | RuntimeException e) {
      LoggerFactory.getLogger(MiniLmEmbedder.class).debug("the ONNX Runtime temp folder stays until exit: {}", e.toString());
    }
    return model;
  }

  @Override
  public List<float[]> embedAll(List<String> texts) {
    List<TextSegment> segments = texts.stream().map(t -> TextSegment.from(t.isBlank() ? "(empty)" : t)).toList();
    return Holder.MODEL.embedAll(segments).content().stream().map(Embedding::vector).toList();
  }
}
