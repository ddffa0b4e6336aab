package dev.helix.compress;

import com.fasterxml.jackson.databind.JsonNode;
import dev.helix.config.HelixConfig;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fits a text into a token budget: {@link #compress} for {@code POST /compress} and {@code helix
 * compress} (through Headroom when it is reachable and allowed, else locally), and {@link
 * #compressLocally}, never through Headroom. The context window does not come here: it cuts an
 * over-long chunk at line boundaries itself (context/Window). Thread-safe; close it to release the
 * HTTP client.
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
  private final LogCompressor logs;
  private final JsonCompressor json;
  private final DiffCompressor diff;
  private final CodeCompressor code;
  private final ProseCompressor prose;

  private Compression(Tokens tokens, int defaultTarget, @Nullable HeadroomBridge bridge) {
    this.tokens = tokens;
    this.defaultTarget = defaultTarget;
    this.bridge = bridge;
    Packer packer = new Packer(tokens);
    this.logs = new LogCompressor(packer);
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
    HeadroomBridge bridge =
        config.headroomBridgeDisabled()
            ? null
            : new HeadroomBridge(
                config.headroom().baseUrl(), config.headroom().compressTimeout(), tokens);
    return new Compression(tokens, config.budget().contextTokens(), bridge);
  }

  /** Local compression only, never Headroom: for the context window and for tests. */
  public static Compression local(Tokens tokens) {
    return new Compression(tokens, DEFAULT_TARGET, null);
  }

  /**
   * Compresses one request; never throws because of Headroom, which is only ever a first try.
   *
   * @throws TargetTooSmallException when the text is JSON and no valid JSON fits the target
   */
  public CompressionResult compress(CompressionRequest request) {
    String text = request.text();
    int target = request.target() == null ? defaultTarget : request.target();
    JsonNode parsed = parseIfJson(text, request.kind());
    Kind kind =
        request.kind() != Kind.AUTO
            ? request.kind()
            : parsed != null ? Kind.JSON : detector.detectNotJson(text);
    if (mayFit(text, target)) {
      return new CompressionResult(text, tokens.count(text), kind, 0, CompressionResult.Via.LOCAL);
    }
    if (bridge != null) {
      // JSON stays JSON whoever compresses it: an answer that does not parse is not used.
      Optional<String> remote = bridge.compress(text, target, kind == Kind.JSON && parsed != null);
      if (remote.isPresent()) {
        // Headroom does not say what it left out; the lines that are gone are the honest measure.
        int omitted = Math.max(0, lineCount(text) - lineCount(remote.get()));
        return new CompressionResult(
            remote.get(),
            tokens.count(remote.get()),
            kind,
            omitted,
            CompressionResult.Via.HEADROOM);
      }
    }
    return local(text, target, kind, request.query(), parsed);
  }

  /**
   * Local compression of one text, with its result (kind {@link Kind#AUTO} detects it).
   *
   * @throws TargetTooSmallException when the text is JSON and no valid JSON fits the target
   */
  public CompressionResult compressLocally(
      String text, int target, Kind kind, @Nullable String query) {
    new CompressionRequest(text, target, kind, query); // validates
    JsonNode parsed = parseIfJson(text, kind);
    Kind resolved =
        kind != Kind.AUTO ? kind : parsed != null ? Kind.JSON : detector.detectNotJson(text);
    if (mayFit(text, target)) {
      return new CompressionResult(
          text, tokens.count(text), resolved, 0, CompressionResult.Via.LOCAL);
    }
    return local(text, target, resolved, query, parsed);
  }

  /**
   * Whether {@code text} fits {@code target} as it is. Texts longer than {@link
   * #MAX_CHARS_PER_TOKEN} characters a token of the target are taken not to fit without counting
   * (counting is the dominant cost of compressing a large text); if one did fit after all, say a
   * page of blanks, compressing it still keeps it within the budget.
   */
  private boolean mayFit(String text, int target) {
    return text.length() <= (long) target * MAX_CHARS_PER_TOKEN && tokens.fits(text, target);
  }

  /**
   * English prose and code average 3 to 5 characters a cl100k token (OpenAI's tokenizer notes give
   * about 4); only long runs of blanks or repeated punctuation reach this many.
   */
  static final int MAX_CHARS_PER_TOKEN = 12;

  /** The parsed document when the text may be JSON (parsed once, for detection and compression). */
  private @Nullable JsonNode parseIfJson(String text, Kind kind) {
    return (kind == Kind.AUTO || kind == Kind.JSON) && Detector.looksLikeJson(text)
        ? json.parse(text)
        : null;
  }

  private CompressionResult local(
      String text, int target, Kind kind, @Nullable String query, @Nullable JsonNode parsed) {
    Compressor.Packed packed;
    // JSON is never cut plainly: a cut document is not JSON. Below MIN_NOTED_TARGET its outline
    // may still fit, else the JSON compressor says which target does.
    if (target < MIN_NOTED_TARGET && (kind != Kind.JSON || parsed == null)) {
      packed = truncated(text, target);
    } else {
      Compressor compressor =
          switch (kind) {
            case JSON -> json;
            case LOG, AUTO -> logs;
            case DIFF -> diff;
            case CODE -> code;
            case PROSE -> prose;
          };
      try {
        packed =
            compressor == json
                ? json.compress(text, parsed, target, Query.of(query))
                : compressor.compress(text, target, Query.of(query));
      } catch (TargetTooSmallException e) {
        throw e;
      } catch (RuntimeException e) {
        // A bug in one compressor must not lose the caller's text: log it, and cut plainly instead.
        log.warn(
            "The {} compressor failed on {} characters of input; falling back to plain truncation",
            kind.value(),
            text.length(),
            e);
        packed = truncated(text, target);
      }
    }
    String out = packed.text();
    int after = packed.tokens() >= 0 ? packed.tokens() : tokens.count(out);
    if (after > target) {
      // Every compressor checks its own output; this guard only keeps a bug from breaking the
      // budget.
      log.warn(
          "The {} compressor returned {} tokens for a budget of {}; cutting it",
          kind.value(),
          after,
          target);
      out = tokens.truncate(out, target);
      after = tokens.count(out);
    }
    return new CompressionResult(out, after, kind, packed.omitted(), CompressionResult.Via.LOCAL);
  }

  /** The head of {@code text} that fits; what is omitted is counted in lines not fully shown. */
  private Compressor.Packed truncated(String text, int target) {
    String head = tokens.truncate(text, target);
    int shown =
        head.endsWith("\n") || head.length() == text.length()
            ? lineCount(head)
            : lineCount(head) - 1;
    return new Compressor.Packed(head, Math.max(0, lineCount(text) - Math.max(0, shown)));
  }

  private static int lineCount(String text) {
    if (text.isEmpty()) {
      return 0;
    }
    int lines = 1;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '\n' && i < text.length() - 1) {
        lines++;
      }
    }
    return lines;
  }

  @Override
  public void close() {
    if (bridge != null) {
      bridge.close();
    }
  }
}
