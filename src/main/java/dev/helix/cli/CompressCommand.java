package dev.helix.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helix.compress.Compression;
import dev.helix.compress.CompressionRequest;
import dev.helix.compress.CompressionResult;
import dev.helix.compress.Kind;
import dev.helix.compress.TargetTooSmallException;
import dev.helix.compress.Tokens;
import dev.helix.config.HelixConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code helix compress FILE|-}: fits a file (or standard input) into a token budget. */
@Command(
    name = "compress",
    mixinStandardHelpOptions = true,
    description = {
      "Compress a file or standard input to a token budget, keeping error lines, stack traces "
          + "and lines matching --query; notes in the text say what was left out.",
      "Uses Headroom when it is reachable (unless HELIX_DISABLE_HEADROOM is set), else compresses locally."
    })
final class CompressCommand implements Callable<Integer> {
  private final Cli cli;
  private final ObjectMapper mapper;
  private final InputStream stdin;

  @Mixin ConfigOption config = new ConfigOption();

  @Parameters(
      index = "0",
      paramLabel = "FILE|-",
      description = "The file to compress, or - for standard input.")
  String file;

  @Option(
      names = "--target",
      paramLabel = "TOKENS",
      description = "Token budget (cl100k_base); default: [budget] context_tokens.")
  @Nullable Integer target;

  @Option(
      names = "--kind",
      paramLabel = "K",
      defaultValue = "auto",
      description = "auto, json, log, diff, code or prose (default: ${DEFAULT-VALUE}, detected).")
  String kind = "auto";

  @Option(
      names = "--query",
      paramLabel = "Q",
      description = "What you are looking for: matching lines are kept first.")
  @Nullable String query;

  @Option(
      names = "--json",
      description = "Print one JSON document: {text, tokens, kind, omitted, via}.")
  boolean json;

  CompressCommand(Cli cli, ObjectMapper mapper) {
    this(cli, mapper, System.in);
  }

  CompressCommand(Cli cli, ObjectMapper mapper, InputStream stdin) {
    this.cli = cli;
    this.mapper = mapper;
    this.stdin = stdin;
  }

  @Override
  public Integer call() throws Exception {
    Kind parsedKind;
    try {
      parsedKind = Kind.parse(kind);
    } catch (IllegalArgumentException e) {
      throw new CommandFailedException("--" + e.getMessage(), ExitCodes.USAGE);
    }
    if (target != null && target < 1) {
      throw new CommandFailedException(
          "--target: must be a whole number of tokens of at least 1, got " + target,
          ExitCodes.USAGE);
    }
    String text = read();
    HelixConfig effective = cli.load(config.path).config();
    CompressionResult result;
    try (Compression compression = Compression.open(effective, new Tokens())) {
      result = compression.compress(new CompressionRequest(text, target, parsedKind, query));
    } catch (TargetTooSmallException e) {
      // A bad argument: the same input at the target it names works.
      throw new CommandFailedException("compress: " + e.messageFor("--target"), ExitCodes.USAGE);
    }
    PrintWriter out = cli.out();
    if (json) {
      out.println(mapper.writeValueAsString(result));
    } else {
      out.print(result.text());
      if (!result.text().endsWith("\n")) {
        out.println();
      }
    }
    out.flush();
    return ExitCodes.OK;
  }

  private String read() {
    try {
      byte[] bytes = file.equals("-") ? stdin.readAllBytes() : Files.readAllBytes(Path.of(file));
      // Bytes that are not UTF-8 become U+FFFD rather than failing the whole command.
      return new String(bytes, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new CommandFailedException(
          "compress: no such file: "
              + file
              + "; give an existing file, or - to read standard input",
          ExitCodes.USAGE);
    } catch (IOException e) {
      throw new CommandFailedException(
          "compress: cannot read "
              + file
              + ": "
              + e.getMessage()
              + "; check that it is a readable file, or use - to read standard input",
          ExitCodes.ERROR);
    }
  }
}
