import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helix.compress.Compression;
import dev.helix.compress.CompressionRequest;
import dev.helix.compress.CompressionResult;
import dev.helix.compress.Kind;
import dev.helix.compress.Tokens;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Needle retention on real inputs (made by real-inputs.sh): the needles are the lines the rule in
 * RESULTS.md ("Real inputs") picks, found here with expressions of its own, not with helix's
 * signals, so that helix is not measured against itself. For each input and budget: how many
 * distinct needle lines helix keeps, how many plain truncation keeps, the ratio, and for JSON
 * whether the output parses (at small targets too).
 */
public class RealInputs {
  static final ObjectMapper MAPPER = new ObjectMapper();

  // The rule, clause by clause (RESULTS.md, "Real inputs: the needle rule").
  /** R1: an exception line: a class name ending in Exception or Error that starts the line (after
   * "Caused by: " or "Exception in thread …"), followed by ": " or the end of the line. */
  static final Pattern R1_EXCEPTION = Pattern.compile(
      "^\\s*(?:Caused by: |Exception in thread \"[^\"]*\" )?(?:[A-Za-z_$][\\w$]*\\.)*([A-Z][\\w$]*(?:Exception|Error))(?::\\s|:?$)");
  /** R2: a stack frame (Java, JavaScript, Python), counted for the line right after an R1 line. */
  static final Pattern R2_FRAME = Pattern.compile("^\\s+at \\S|^\\s+File \".*\", line \\d+");
  /** R3: an ERROR/FATAL-level line: the level as a field near the start, npm's error prefixes, apt's E:. */
  static final Pattern R3_LEVEL = Pattern.compile(
      "^.{0,40}?(?<![\\w-])\\[?(ERROR|FATAL|CRITICAL|SEVERE)\\]?(?![\\w-])|^\\d+ (error|ERR!) |^npm (ERR!|error) |^E: ");
  /** R4: a test failure: FAIL, FAILED or FAILURE as a capitalised word, or a test count with failures. */
  static final Pattern R4_FAILED = Pattern.compile("(?<![\\w-])FAIL(ED|URE)?(?![\\w-])");
  static final Pattern R4_COUNTS = Pattern.compile("Tests run: \\d+, Failures: (\\d+), Errors: (\\d+)");
  /** R5: error: or fatal: as a word of its own (not the end of a name such as gpg-error:). */
  static final Pattern R5_ERROR_COLON = Pattern.compile("(?i)(?<![\\w./-])(error|fatal):(\\s|$)");
  /** A needle counts as kept when the output holds the line, or its first this many characters. */
  static final int KEPT_PREFIX = 80;

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    Tokens tokens = new Tokens();
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.filter(Files::isRegularFile).sorted().toList();
    }
    StringBuilder needleTable = new StringBuilder(
        "| input | KB | tokens in | needle lines | their tokens | budget | tokens out | ratio | kind |"
            + " needles kept | of them R1+R2 | kept by truncation |\n|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|\n");
    StringBuilder queryTable = new StringBuilder("| input | query | budget | exception line kept | its first frame kept |\n"
        + "|---|---|---:|---|---|\n");
    StringBuilder jsonTable = new StringBuilder("| input | tokens in | target | result |\n|---|---:|---:|---|\n");
    try (Compression compression = Compression.local(tokens)) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        if (text.isBlank()) {
          continue;
        }
        int in = tokens.count(text);
        double kb = text.getBytes(StandardCharsets.UTF_8).length / 1000.0;
        Needles needles = Needles.of(text);
        int needleTokens = tokens.count(String.join("\n", needles.lines()));
        // An input under 400 tokens is shown at 400, where it is returned as it is.
        for (int budget : new java.util.TreeSet<>(List.of(400, Math.max(400, in / 10)))) {
          CompressionResult result = compress(compression, text, budget, null);
          String cut = tokens.truncate(text, budget);
          needleTable.append(String.format(Locale.ROOT, "| %s | %.0f | %d | %d | %d | %d | %s | %s | %s | %s | %s | %s |%n",
              name, kb, in, needles.lines().size(), needleTokens, budget,
              result == null ? "–" : Integer.toString(result.tokens()),
              result == null ? "–" : String.format(Locale.ROOT, "%.1f%%", 100.0 * (1 - result.tokens() / (double) in)),
              result == null ? "refused" : result.kind().value(),
              result == null ? "–" : kept(needles.lines(), result.text()),
              result == null ? "–" : kept(needles.traces(), result.text()), kept(needles.lines(), cut)));
          if (System.getenv("LOST") != null && result != null) {
            needles.lines().stream().filter(l -> !isKept(l, result.text()))
                .forEach(l -> System.err.println("lost at " + budget + " in " + name + ": " + l));
          }
          if (needles.exception() != null) {
            String query = needles.exception().simpleName();
            CompressionResult queried = compress(compression, text, budget, query);
            queryTable.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %s |%n", name, query, budget,
                queried != null && isKept(needles.exception().line(), queried.text()) ? "yes" : "no",
                needles.exception().frame() == null ? "(none)"
                    : queried != null && isKept(needles.exception().frame(), queried.text()) ? "yes" : "no"));
          }
        }
        if (name.startsWith("json-")) {
          for (int target : new int[] {10, 20, 50, 80, 100, 150, 400, Math.max(400, in / 10)}) {
            jsonTable.append(String.format(Locale.ROOT, "| %s | %d | %d | %s |%n", name, in, target,
                jsonOutcome(compression, text, target)));
          }
        }
      }
    }
    System.out.println(needleTable);
    System.out.println(queryTable);
    System.out.println(jsonTable);
  }

  /** helix's local compression, kind detected; null when helix refuses the target as too small. */
  static CompressionResult compress(Compression compression, String text, int budget, String query) {
    try {
      return compression.compress(new CompressionRequest(text, budget, Kind.AUTO, query));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  static String jsonOutcome(Compression compression, String text, int target) {
    try {
      CompressionResult result = compression.compress(new CompressionRequest(text, target, Kind.AUTO, null));
      try {
        MAPPER.readTree(result.text());
        return result.tokens() + " tokens, valid JSON";
      } catch (Exception e) {
        return result.tokens() + " tokens, **not JSON**";
      }
    } catch (IllegalArgumentException e) {
      return "refused: " + e.getMessage();
    }
  }

  static String kept(List<String> needles, String out) {
    if (needles.isEmpty()) {
      return "–";
    }
    int kept = 0;
    for (String needle : needles) {
      kept += isKept(needle, out) ? 1 : 0;
    }
    return String.format(Locale.ROOT, "%d/%d (%.0f%%)", kept, needles.size(), 100.0 * kept / needles.size());
  }

  static boolean isKept(String needle, String out) {
    return out.contains(needle.length() <= KEPT_PREFIX ? needle : needle.substring(0, KEPT_PREFIX));
  }

  /** The first exception line of an input, its class's simple name and the frame right after it. */
  record Exception1(String line, String simpleName, String frame) {}

  /**
   * The distinct needle lines of an input, in order of first appearance; those of them that R1
   * and R2 picked (exception lines and their first frames); and its first exception.
   */
  record Needles(List<String> lines, List<String> traces, Exception1 exception) {
    static Needles of(String text) {
      String[] lines = text.split("\r?\n", -1);
      Set<String> needles = new LinkedHashSet<>();
      Set<String> traces = new LinkedHashSet<>();
      Exception1 first = null;
      for (int i = 0; i < lines.length; i++) {
        String line = lines[i].stripTrailing();
        if (line.isBlank()) {
          continue;
        }
        Matcher exception = R1_EXCEPTION.matcher(line);
        if (exception.find()) {
          needles.add(line);
          traces.add(line);
          String next = i + 1 < lines.length ? lines[i + 1].stripTrailing() : "";
          boolean frame = R2_FRAME.matcher(next).find();
          if (frame) {
            needles.add(next);
            traces.add(next);
          }
          if (first == null) {
            first = new Exception1(line, exception.group(1), frame ? next : null);
          }
          continue;
        }
        Matcher counts = R4_COUNTS.matcher(line);
        boolean failedCount = counts.find() && (!counts.group(1).equals("0") || !counts.group(2).equals("0"));
        if (R3_LEVEL.matcher(line).find() || failedCount || R4_FAILED.matcher(line).find()
            || R5_ERROR_COLON.matcher(line).find()) {
          needles.add(line);
        }
      }
      return new Needles(new ArrayList<>(needles), new ArrayList<>(traces), first);
    }
  }
}
