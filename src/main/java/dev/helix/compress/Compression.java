package dev.helix.compress;

import dev.helix.config.HelixConfig;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fits a text into a token budget: {@link #compress} for {@code POST /compress} and {@code helix
 * compress} (through Headroom when it is reachable and allowed, else locally), and {@link #shrink}
 * for the context window, which is always local. Thread-safe; close it to release the HTTP client.
 */
public final class Compression implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Compression.class);
  /** The default of {@code [budget] context_tokens}, for callers without a configuration. */
  static final int DEFAULT_TARGET = 6000;
  /** Below this, no omission note fits beside any content: the text is simply cut. */
  static final int MIN_NOTED_TARGET = 16;

  private final Tokens tokens;
  private final int defaultTarget;
  private final @Nullable HeadroomBridge bridge;
  private final Detector detector;
  private final LogCompressor log_;
  private final JsonCompressor json;
  private final DiffCompressor diff;
  private final CodeCompressor code;
  private final ProseCompressor prose;

  private Compression(Tokens tokens, int defaultTarget, @Nullable HeadroomBridge bridge) {
    this.tokens = tokens;
    this.defaultTarget = defaultTarget;
    this.bridge = bridge;
    Packer packer = new Packer(tokens);
    this.log_ = new LogCompressor(packer);
    this.json = new JsonCompressor(tokens, packer);
    this.diff = new DiffCompressor(packer);
    this.code = new CodeCompressor(packer);
    this.prose = new ProseCompressor(packer);
    this.detector = new Detector(json);
  }

  /**
   * Compression as configured: the default target is {@code [budget] context_tokens}; Headroom at
   * {@code [headroom] host:port} is tried first unless {@code HELIX_DISABLE_HEADROOM} is truthy.
   */
  public static Compression open(HelixConfig config, Tokens tokens) {
    HeadroomBridge bridge = config.headroomBridgeDisabled()
        ? null
        : new HeadroomBridge(config.headroom().baseUrl(), config.headroom().compressTimeout(), tokens);
    return new Compression(tokens, config.budget().contextTokens(), bridge);
  }

  /** Local compression only, never Headroom: for the context window and for tests. */
  public static Compression local(Tokens tokens) {
    return new Compression(tokens, DEFAULT_TARGET, null);
  }

  /** Compresses one request; never throws because of Headroom, which is only ever a first try. */
  public CompressionResult compress(CompressionRequest request) {
    String text = request.text();
    int target = request.target() == null ? defaultTarget : request.target();
    Kind kind = request.kind() == Kind.AUTO ? detector.detect(text) : request.kind();
    int before = tokens.count(text);
    if (before <= target) {
      return new CompressionResult(text, before, kind, 0, CompressionResult.Via.LOCAL);
    }
    if (bridge != null) {
      Optional<String> remote = bridge.compress(text, target);
      if (remote.isPresent()) {
        int after = tokens.count(remote.get());
        return new CompressionResult(remote.get(), after, kind, Math.max(0, before - after),
            CompressionResult.Via.HEADROOM);
      }
    }
    return local(text, before, target, kind, request.query());
  }

  /** Local compression of one text, with its result (kind {@link Kind#AUTO} detects it). */
  public CompressionResult compressLocally(String text, int target, Kind kind, @Nullable String query) {
    new CompressionRequest(text, target, kind, query); // validates
    Kind resolved = kind == Kind.AUTO ? detector.detect(text) : kind;
    int before = tokens.count(text);
    if (before <= target) {
      return new CompressionResult(text, before, resolved, 0, CompressionResult.Via.LOCAL);
    }
    return local(text, before, target, resolved, query);
  }

  /**
   * {@code text} shrunk to at most {@code targetTokens} tokens, kind detected, locally: the call
   * for one over-long chunk of a context window.
   */
  public String shrink(String text, int targetTokens, @Nullable String query) {
    return compressLocally(text, targetTokens, Kind.AUTO, query).text();
  }

  private CompressionResult local(String text, int before, int target, Kind kind, @Nullable String query) {
    String out;
    if (target < MIN_NOTED_TARGET) {
      out = tokens.truncate(text, target);
    } else {
      Compressor compressor = switch (kind) {
        case JSON -> json;
        case LOG, AUTO -> log_;
        case DIFF -> diff;
        case CODE -> code;
        case PROSE -> prose;
      };
      try {
        out = compressor.compress(text, target, Query.of(query));
      } catch (RuntimeException e) {
        // A bug in one compressor must not lose the caller's text: log it, and cut plainly instead.
        log.warn("The {} compressor failed on {} tokens of input; falling back to plain truncation",
            kind.value(), before, e);
        out = tokens.truncate(text, target);
      }
    }
    int after = tokens.count(out);
    if (after > target) {
      out = tokens.truncate(out, target);
      after = tokens.count(out);
    }
    return new CompressionResult(out, after, kind, Math.max(0, before - after), CompressionResult.Via.LOCAL);
  }

  @Override
  public void close() {
    if (bridge != null) {
      bridge.close();
    }
  }
}
