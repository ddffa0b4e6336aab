package dev.helix.workspace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * bench/workspace: live workspaces measured on a real {@code ./helix serve} (bench/workspace/run.sh
 * runs it). Save to searchable latency on a store of about 100k chunks, a 5,000-file branch switch
 * (time until searchable, commits, query p99 during it against p99 before it, same run), and the
 * CPU an idle server spends watching 3 roots of 20k files.
 *
 * <p>Arguments: helix script, work folder, corpus folder, copies of the corpus for the big root.
 */
public final class WorkspaceBench {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final List<String> QUERIES =
      List.of(
          "how does the parser handle escaped quotes",
          "cache eviction of least recently used entries",
          "thread pool shutdown and await termination",
          "serialize a map with a custom key serializer",
          "immutable list builder copy",
          "byte buffer reference counting",
          "json generator pretty printer indentation",
          "event loop scheduled task",
          "multimap of sets",
          "hash code of a string");

  private WorkspaceBench() {}

  public static void main(String[] args) throws Exception {
    Path helix = Path.of(args[0]);
    Path work = Path.of(args[1]);
    Path corpus = Path.of(args[2]);
    int copies = Integer.parseInt(args[3]);
    int saves = Integer.parseInt(System.getProperty("bench.saves", "200"));
    int switchFiles = Integer.parseInt(System.getProperty("bench.switch", "5000"));
    Path big = work.resolve("big");
    if (!Files.isDirectory(big)) {
      for (int i = 0; i < copies; i++) {
        copyTree(corpus, big.resolve("copy-" + i));
      }
    }
    try (Server server = Server.start(helix, work, "big")) {
      long t0 = System.nanoTime();
      server.post("/ingest", Map.of("paths", List.of(big.toString())), Duration.ofHours(1));
      JsonNode stats = server.get("/stats");
      System.out.printf(
          Locale.ROOT,
          "store: %d chunks, %d sources (ingest %.1f s)%n",
          stats.get("chunks").asLong(),
          stats.get("sources").asLong(),
          (System.nanoTime() - t0) / 1e9);
      server.awaitWatching();

      saveLatency(server, big.resolve("copy-0/saves"), saves);
      branchSwitch(server, big, switchFiles);
    }

    if (!Boolean.parseBoolean(System.getProperty("bench.idle", "true"))) {
      return;
    }
    // Idle: 3 roots of 20k small files each, nothing changing, CPU over 60 s.
    Path idle = work.resolve("idle");
    List<String> roots = new ArrayList<>();
    for (int r = 0; r < 3; r++) {
      Path root = idle.resolve("root-" + r);
      roots.add(root.toString());
      if (!Files.isDirectory(root)) {
        for (int f = 0; f < 20_000; f++) {
          Path file = root.resolve("pkg" + (f / 100)).resolve("File" + f + ".java");
          Files.createDirectories(file.getParent());
          Files.writeString(
              file, "/** File " + f + " of root " + r + ". */\nclass File" + f + " {}\n");
        }
      }
    }
    try (Server server = Server.start(helix, work, "idle")) {
      server.post("/ingest", Map.of("paths", roots), Duration.ofHours(1));
      server.awaitWatching();
      Thread.sleep(5_000);
      long cpu0 = server.cpuMillis();
      long t0 = System.nanoTime();
      Thread.sleep(60_000);
      long cpu = server.cpuMillis() - cpu0;
      double seconds = (System.nanoTime() - t0) / 1e9;
      System.out.printf(
          Locale.ROOT,
          "idle: 3 roots x 20,000 files watched, %d ms CPU in %.0f s = %.2f%% of one core"
              + " (target < 1%%)%n",
          cpu,
          seconds,
          100.0 * cpu / (seconds * 1000));
    }
  }

  /**
   * Saves a new file {@code n} times, each with a word of its own, and times until a query cites
   * it.
   */
  private static void saveLatency(Server server, Path folder, int n) throws Exception {
    Files.createDirectories(folder);
    List<Double> ms = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String word = "zqxsave" + letters(i);
      Path file = folder.resolve("Saved" + i + ".java");
      Files.writeString(
          file, "/** Saved file " + word + " for the latency bench. */\nclass Saved" + i + " {}\n");
      long t0 = System.nanoTime();
      while (!server.cites(word, file.toString())) {
        if (System.nanoTime() - t0 > 30_000_000_000L) {
          throw new IllegalStateException("save " + i + " was not searchable after 30 s");
        }
        Thread.sleep(5);
      }
      ms.add((System.nanoTime() - t0) / 1e6);
      Thread.sleep(100);
    }
    System.out.printf(
        Locale.ROOT,
        "save -> searchable over %d saves: p50 %.0f ms, p99 %.0f ms, max %.0f ms (target p99 <= 2000)%n",
        n,
        pct(ms, 50),
        pct(ms, 99),
        Collections.max(ms));
  }

  /**
   * Rewrites {@code n} files at once, as a checkout does; times until every one is searchable,
   * counts the commits, and compares query p99 during the switch with p99 just before it.
   */
  private static void branchSwitch(Server server, Path big, int n) throws Exception {
    List<Path> files;
    try (Stream<Path> all = Files.walk(big)) {
      files = all.filter(p -> p.toString().endsWith(".java")).sorted().limit(n).toList();
    }
    List<Double> before = queries(server, 200, null);
    long version = server.get("/health").path("store").path("index_version").asLong();
    AtomicBoolean switching = new AtomicBoolean(true);
    List<Double> during = Collections.synchronizedList(new ArrayList<>());
    Thread load =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    while (switching.get()) {
                      during.addAll(queries(server, 1, switching));
                    }
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                });
    long t0 = System.nanoTime();
    for (int i = 0; i < files.size(); i++) {
      Files.writeString(
          files.get(i),
          "\n// branch zqxbranch" + letters(i) + " switched\n",
          StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.APPEND);
    }
    double written = (System.nanoTime() - t0) / 1e9;
    // Every file: the last one written, a sample, and nothing pending.
    while (true) {
      JsonNode store = server.get("/health").path("store");
      if (store.path("pending").asLong() == 0
          && server.cites("zqxbranch" + letters(files.size() - 1), files.getLast().toString())) {
        break;
      }
      Thread.sleep(20);
    }
    double searchable = (System.nanoTime() - t0) / 1e9;
    switching.set(false);
    load.join();
    int missing = 0;
    for (int i = 0; i < files.size(); i += files.size() / 50) {
      if (!server.cites("zqxbranch" + letters(i), files.get(i).toString())) {
        missing++;
      }
    }
    long commits = server.get("/health").path("store").path("index_version").asLong() - version;
    System.out.printf(
        Locale.ROOT,
        "branch switch of %d files: written in %.1f s, all searchable after %.1f s, %d commits,"
            + " %d of 50 sampled files missing%n",
        files.size(),
        written,
        searchable,
        commits,
        missing);
    System.out.printf(
        Locale.ROOT,
        "query p50/p99 before: %.1f / %.1f ms; during the switch: %.1f / %.1f ms (%d queries);"
            + " p99 rose %.1f ms (target <= 50)%n",
        pct(before, 50),
        pct(before, 99),
        pct(during, 50),
        pct(during, 99),
        during.size(),
        pct(during, 99) - pct(before, 99));
  }

  private static List<Double> queries(Server server, int rounds, AtomicBoolean until)
      throws Exception {
    List<Double> ms = new ArrayList<>();
    for (int r = 0; r < rounds; r++) {
      for (String q : QUERIES) {
        if (until != null && !until.get()) {
          return ms;
        }
        long t0 = System.nanoTime();
        server.post("/context", Map.of("query", q), Duration.ofSeconds(30));
        ms.add((System.nanoTime() - t0) / 1e6);
      }
    }
    return ms;
  }

  /**
   * {@code n} in letters (0 = "a", 26 = "ba"): one word per file or save. A number would be a word
   * of its own to the code analyzer ("zqxbranch9" is "zqxbranch" and "9"), shared with every other.
   */
  static String letters(int n) {
    StringBuilder out = new StringBuilder();
    do {
      out.insert(0, (char) ('a' + n % 26));
      n /= 26;
    } while (n > 0);
    return out.toString();
  }

  private static double pct(List<Double> values, int p) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.isEmpty()
        ? Double.NaN
        : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> all = Files.walk(from)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }

  /** {@code ./helix serve} as users run it, on a free port, with its own store. */
  private record Server(Process process, String url) implements AutoCloseable {
    static Server start(Path helix, Path work, String name) throws Exception {
      int port;
      try (var socket = new java.net.ServerSocket(0)) {
        port = socket.getLocalPort();
      }
      Path toml = work.resolve(name + ".toml");
      Files.writeString(
          toml,
          "[server]\nport = "
              + port
              + "\n[store]\npath = \""
              + work.resolve(name + "-store")
              + "\"\nembeddings = false\nwatch = true\n");
      ProcessBuilder pb =
          new ProcessBuilder(helix.toString(), "serve", "--config", toml.toString())
              .redirectError(work.resolve(name + "-serve.log").toFile())
              .redirectOutput(ProcessBuilder.Redirect.DISCARD);
      pb.environment().put("HELIX_HOME", work.resolve(name + "-home").toString());
      Server s = new Server(pb.start(), "http://127.0.0.1:" + port);
      long deadline = System.nanoTime() + 300_000_000_000L;
      while (System.nanoTime() < deadline) {
        try {
          if (s.get("/health").path("store").path("ready").asBoolean()) {
            return s;
          }
        } catch (IOException e) {
          // Not up yet.
        }
        Thread.sleep(100);
      }
      s.close();
      throw new IllegalStateException(
          "helix serve did not start; see " + work.resolve(name + "-serve.log"));
    }

    void awaitWatching() throws Exception {
      while (true) {
        JsonNode store = get("/health").path("store");
        if (store.path("watching").asBoolean() && store.path("pending").asLong() == 0) {
          return;
        }
        Thread.sleep(100);
      }
    }

    boolean cites(String query, String file) throws Exception {
      for (JsonNode c :
          post("/context", Map.of("query", query, "max_chunks", 4), Duration.ofSeconds(30))
              .path("citations")) {
        if (c.path("source").asText().equals(file)) {
          return true;
        }
      }
      return false;
    }

    JsonNode get(String path) throws IOException, InterruptedException {
      return JSON.readTree(
          HTTP.send(
                  HttpRequest.newBuilder(URI.create(url + path))
                      .timeout(Duration.ofSeconds(30))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body());
    }

    JsonNode post(String path, Object body, Duration timeout)
        throws IOException, InterruptedException {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(url + path))
                  .timeout(timeout)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IOException(path + " answered " + r.statusCode() + ": " + r.body());
      }
      return JSON.readTree(r.body());
    }

    /** User plus system CPU of the server process and its children so far (ms). */
    long cpuMillis() throws IOException {
      String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
      return ticks * 1000 / 100;
    }

    @Override
    public void close() throws Exception {
      try {
        post("/admin/shutdown", Map.of(), Duration.ofSeconds(5));
      } catch (IOException e) {
        // Already gone.
      }
      if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }
}
