import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.helix.compress.Compression;
import dev.helix.compress.CompressionRequest;
import dev.helix.compress.CompressionResult;
import dev.helix.compress.Kind;
import dev.helix.compress.Tokens;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The compression benchmark: for each real input in the data folder (named kind-what.ext), at the
 * budgets Headroom's published figures imply, it measures the ratio against plain truncation to
 * the same budget, whether planted needles (two error lines and one line matching the query)
 * survive, and the warmed p50 latency. Run through run.sh.
 */
public class CompressBench {
  static final ObjectMapper MAPPER = new ObjectMapper();

  record Planted(String text, List<String> needles, String query) {}

  public static void main(String[] args) throws Exception {
    Path data = Path.of(args[0]);
    boolean quick = args.length > 1 && args[1].equals("1");
    int trials = quick ? 5 : 30;
    // A third argument sets the warm-up compressions per row (in rounds over all rows): a long
    // warm-up measures a server's steady state, where the JIT has compiled every compressor's hot paths.
    int warmup = args.length > 2 ? Integer.parseInt(args[2]) : quick ? 3 : 15;
    int rounds = quick ? 7 : 31;
    // The steady-state run times each row for a second at least, in turns with the others (see p50s).
    long minNanos = args.length > 2 ? 1_000_000_000L : 0;
    Tokens tokens = new Tokens();
    List<Path> files;
    try (Stream<Path> list = Files.list(data)) {
      files = list.filter(p -> p.getFileName().toString().matches("(log|diff|json|code|prose)-.*"))
          .filter(p -> !p.getFileName().toString().endsWith(".txt") || p.getFileName().toString().startsWith("prose"))
          .sorted().toList();
    }
    List<Row> rows = new ArrayList<>();
    try (Compression compression = Compression.local(tokens)) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        if (text.isBlank()) {
          continue;
        }
        String family = name.substring(0, name.indexOf('-'));
        int in = tokens.count(text);
        // Headroom's published figures: build logs ~94% smaller, JSON arrays ~90% smaller.
        double[] shares = family.equals("log") ? new double[] {0.06, 0.10} : new double[] {0.10};
        for (double share : shares) {
          int budget = Math.max(100, (int) Math.round(in * share));
          CompressionResult result = compression.compress(new CompressionRequest(text, budget, Kind.AUTO, null));
          int truncated = tokens.count(tokens.truncate(text, budget));
          Random random = new Random(name.hashCode() * 31L + budget);
          int kept = 0;
          int keptByTruncation = 0;
          int total = 0;
          for (int t = 0; t < trials; t++) {
            Planted planted = plant(family, text, random);
            String out = compression.compress(
                new CompressionRequest(planted.text(), budget, Kind.AUTO, planted.query())).text();
            String cut = tokens.truncate(planted.text(), budget);
            for (String needle : planted.needles()) {
              total++;
              kept += out.contains(needle) ? 1 : 0;
              keptByTruncation += cut.contains(needle) ? 1 : 0;
            }
          }
          rows.add(new Row(name, text, in, budget, share, result, truncated, kept, keptByTruncation, total));
        }
      }
      // Warm-up in rounds over every row, as a server sees a mix of inputs: each row's own warm-up
      // just before its timing left the first small input of a kind timed while the JIT was still
      // compiling that kind's code (300 calls of a 0.3 ms input are 0.1 s; the JIT took 1-2 s here).
      for (int round = 0; round < warmup; round++) {
        for (Row row : rows) {
          compression.compress(row.timed());
        }
      }
      System.out.println("| input | kind | KB | tokens in | budget | tokens out | ratio | truncation ratio"
          + " | needles kept | needles kept by truncation | p50 ms | p50 ms per 100 KB | p50 CPU ms per 100 KB |");
      System.out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
      double[][] p50s = p50s(compression, rows, rounds, minNanos);
      for (int r = 0; r < rows.size(); r++) {
        Row row = rows.get(r);
        double[] p50 = p50s[r];
        double kb = row.text().getBytes(StandardCharsets.UTF_8).length / 1000.0;
        int in = row.in();
        System.out.printf(Locale.ROOT, "| %s | %s | %.0f | %d | %d (%.0f%%) | %d | %.1f%% | %.1f%% | %d/%d (%.0f%%) | %d/%d (%.0f%%) | %.2f | %.2f | %.2f |%n",
            row.name(), row.result().kind().value(), kb, in, row.budget(), row.share() * 100, row.result().tokens(),
            100.0 * (1 - row.result().tokens() / (double) in), 100.0 * (1 - row.truncated() / (double) in),
            row.kept(), row.total(), 100.0 * row.kept() / row.total(), row.keptByTruncation(), row.total(),
            100.0 * row.keptByTruncation() / row.total(), p50[0], p50[0] * 100.0 / kb, p50[1] * 100.0 / kb);
      }
    }
  }

  /** One input at one budget, with what its quality trials found. */
  record Row(String name, String text, int in, int budget, double share, CompressionResult result,
      int truncated, int kept, int keptByTruncation, int total) {
    /** The request that is timed: the unplanted input, with the query {@code timeout}. */
    CompressionRequest timed() {
      return new CompressionRequest(text, budget, Kind.AUTO, "timeout");
    }
  }

  /**
   * Each row's wall-clock p50 and the p50 of the thread's own CPU time (the machine is shared),
   * timed in turns: every row gets a slice of the time in every pass, so a slow spell of the
   * machine (on this shared 2-core VM the same loop ran at 115 and at 230 us a call for seconds at
   * a time, without any JIT event) falls on every row alike instead of on the rows timed during it.
   * Each row gets at least {@code rounds} calls and, when {@code minNanos} is set, at least that
   * much time, in 50 slices or more.
   */
  static double[][] p50s(Compression compression, List<Row> rows, int rounds, long minNanos) {
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    int k = rows.size();
    long[][] times = new long[k][rounds];
    long[][] cpu = new long[k][rounds];
    int[] n = new int[k];
    long[] spent = new long[k];
    long slice = minNanos / 50;
    boolean more = true;
    while (more) {
      more = false;
      for (int r = 0; r < k; r++) {
        if (n[r] >= MAX_ROUNDS || n[r] >= rounds && spent[r] >= minNanos) {
          continue;
        }
        more = true;
        CompressionRequest request = rows.get(r).timed();
        long sliceStart = System.nanoTime();
        do {
          if (n[r] == times[r].length) {
            times[r] = Arrays.copyOf(times[r], n[r] * 2);
            cpu[r] = Arrays.copyOf(cpu[r], n[r] * 2);
          }
          long start = System.nanoTime();
          long startCpu = mx.getCurrentThreadCpuTime();
          compression.compress(request);
          cpu[r][n[r]] = mx.getCurrentThreadCpuTime() - startCpu;
          times[r][n[r]] = System.nanoTime() - start;
          spent[r] += times[r][n[r]];
          n[r]++;
        } while (System.nanoTime() - sliceStart < slice && n[r] < MAX_ROUNDS);
      }
    }
    double[][] p50 = new double[k][];
    for (int r = 0; r < k; r++) {
      Arrays.sort(times[r], 0, n[r]);
      Arrays.sort(cpu[r], 0, n[r]);
      p50[r] = new double[] {times[r][n[r] / 2] / 1e6, cpu[r][n[r] / 2] / 1e6};
    }
    return p50;
  }

  private static final int MAX_ROUNDS = 100_000;

  /** Two error needles and one query needle at random places, in the shape of the input. */
  static Planted plant(String family, String text, Random random) throws Exception {
    String id = Integer.toString(100_000 + random.nextInt(900_000), 36);
    String fatal = "needle-" + id;
    String error = "needle2-" + id;
    String query = "zq" + id;
    if (family.equals("json")) {
      return plantJson(text, random, fatal, error, query);
    }
    String[] lines = switch (family) {
      case "log" -> new String[] {"[ERROR] FATAL " + fatal + ": checksum mismatch on shard 7",
          "ERROR " + error + " replica lost quorum", "[INFO] export for account " + query + " finished"};
      case "diff" -> new String[] {"+    // FATAL " + fatal + ": checksum mismatch on shard 7",
          "+    log.error(\"ERROR " + error + " replica lost quorum\");", "+    int " + query + " = 0;"};
      case "code" -> new String[] {"    // FATAL " + fatal + ": checksum mismatch on shard 7",
          "    // ERROR " + error + " replica lost quorum", "    int " + query + " = 0;"};
      default -> new String[] {"FATAL " + fatal + ": the checksum did not match.",
          "ERROR " + error + ": the replica lost its quorum.", "The export for account " + query + " finished."};
    };
    List<String> all = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
    for (String line : lines) {
      all.add(random.nextInt(all.size() + 1), line);
    }
    return new Planted(String.join("\n", all), List.of(fatal, error, query), query);
  }

  static Planted plantJson(String text, Random random, String fatal, String error, String query) throws Exception {
    JsonNode root = MAPPER.readTree(text);
    ArrayNode array = largestArray(root, null);
    if (array != null && array.size() >= 10) {
      JsonNode sample = array.get(random.nextInt(array.size()));
      if (sample.isObject()) {
        ObjectNode failing = ((ObjectNode) sample).deepCopy();
        failing.put("error", "FATAL " + fatal + ": checksum mismatch");
        ObjectNode failed = ((ObjectNode) array.get(random.nextInt(array.size()))).deepCopy();
        failed.put("status", "failed");
        failed.put("id", error);
        ObjectNode match = ((ObjectNode) array.get(random.nextInt(array.size()))).deepCopy();
        match.put("name", query);
        array.insert(random.nextInt(array.size() + 1), failing);
        array.insert(random.nextInt(array.size() + 1), failed);
        array.insert(random.nextInt(array.size() + 1), match);
      } else {
        array.insert(random.nextInt(array.size() + 1), "FATAL " + fatal + ": checksum mismatch");
        array.insert(random.nextInt(array.size() + 1), "ERROR " + error + " replica lost quorum");
        array.insert(random.nextInt(array.size() + 1), query);
      }
    } else if (root.isObject()) {
      ObjectNode object = (ObjectNode) root;
      object.put("error", "FATAL " + fatal + ": checksum mismatch");
      object.put("failure", "ERROR " + error + " replica lost quorum");
      object.put(query, "matched");
    }
    boolean pretty = text.contains("\n  ");
    String out = pretty ? MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root) : MAPPER.writeValueAsString(root);
    return new Planted(out, List.of(fatal, error, query), query);
  }

  static ArrayNode largestArray(JsonNode node, ArrayNode best) {
    if (node.isArray()) {
      if (best == null || node.size() > best.size()) {
        best = (ArrayNode) node;
      }
    }
    for (JsonNode child : node) {
      best = largestArray(child, best);
    }
    return best;
  }
}
