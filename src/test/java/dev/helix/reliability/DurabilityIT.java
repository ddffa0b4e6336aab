package dev.helix.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helix.store.Store;
import dev.helix.testing.HelixRun;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.lucene.index.CheckIndex;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a real {@code helix ingest} at random points, {@code -Dhelix.kills=N} times (100 by
 * default, in CI too; {@code bench/durability/run.sh N} for other sizes). Before each run the tree
 * grows by one file, and an ingest that finished (its {@code --json} report printed) acknowledged
 * every file then in the tree (a fifth of the files also change each time). After every kill:
 * Lucene's CheckIndex is clean, the store opens, every acknowledged file is still in it and no
 * chunk is stored twice; at the end a re-run completes with every file once.
 */
class DurabilityIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void killNineAtRandomPointsNeverLosesAnAcknowledgedFileOrCorruptsTheStore() throws Exception {
    int kills = Integer.getInteger("helix.kills", 100);
    Random random = new Random(Long.getLong("helix.seed", 7));
    Path tree = dir.resolve("tree");
    for (int f = 0; f < 400; f++) {
      write(tree.resolve("p" + (f % 10)).resolve("C" + f + ".java"), f, random);
    }
    Path store = dir.resolve("store");
    Path config = dir.resolve("helix.toml");
    int port =
        dev.helix.testing.ChildJvm
            .freePort(); // no helix serve answers there, so ingest writes the store itself
    Files.writeString(
        config,
        "[server]\nport = " + port + "\n[store]\npath = \"" + store + "\"\nembeddings = false\n");

    Set<String> acknowledged = new TreeSet<>();
    int killed = 0;
    int completed = 0;
    // How long a whole ingest takes here, so kill points spread over all of it (start, middle,
    // commit).
    long full = ingestMillis(config, tree, acknowledged);
    for (int round = 0; killed < kills && round < 3 * kills; round++) {
      // A fifth of the files change and one is added, so every run has real indexing to be killed
      // in.
      for (int i = 0; i < 80; i++) {
        int f = random.nextInt(400);
        write(tree.resolve("p" + (f % 10)).resolve("C" + f + ".java"), f, random);
      }
      write(tree.resolve("new").resolve("N" + round + ".java"), 1000 + round, random);
      Path out = dir.resolve("ingest.json");
      ProcessBuilder builder =
          new ProcessBuilder(
              HelixRun.command("ingest", tree.toString(), "--json", "--config", config.toString()));
      builder.environment().keySet().removeIf(k -> k.startsWith("HELIX_"));
      builder.environment().putAll(env());
      Process p =
          builder
              .redirectOutput(out.toFile())
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
      boolean finished = p.waitFor(random.nextLong(full) + 50, TimeUnit.MILLISECONDS);
      if (!finished) {
        p.destroyForcibly(); // SIGKILL: no shutdown hook, no close, no last commit
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        killed++;
      }
      if (p.exitValue() == 0) {
        JsonNode report = JSON.readTree(out.toFile());
        assertThat(report.path("store").path("sources").asInt()).isEqualTo(countFiles(tree));
        acknowledged.addAll(files(tree));
        completed++;
      }
      assertStoreIntact(store, tree, acknowledged);
    }
    HelixRun.Result last =
        HelixRun.run(
            dir, env(), "ingest", tree.toString(), "--json", "--config", config.toString());
    assertThat(last.exitCode()).as(last.stderr()).isZero();
    assertThat(JSON.readTree(last.stdout()).path("store").path("sources").asInt())
        .isEqualTo(countFiles(tree));
    assertStoreIntact(store, tree, files(tree));
    System.out.printf(
        "durability: %d kill -9 survived, %d ingests completed between them, %d files acknowledged, "
            + "0 lost, CheckIndex clean after each%n",
        killed, completed, acknowledged.size());
  }

  private long ingestMillis(Path config, Path tree, Set<String> acknowledged) throws Exception {
    long start = System.nanoTime();
    HelixRun.Result first =
        HelixRun.run(
            dir, env(), "ingest", tree.toString(), "--json", "--config", config.toString());
    assertThat(first.exitCode()).as(first.stderr()).isZero();
    acknowledged.addAll(files(tree));
    return Math.max(500, (System.nanoTime() - start) / 1_000_000);
  }

  private static void assertStoreIntact(Path store, Path tree, Set<String> acknowledged)
      throws Exception {
    try (Directory d = FSDirectory.open(store)) {
      assertThat(DirectoryReader.indexExists(d))
          .as("a commit exists after the first complete ingest")
          .isTrue();
      try (CheckIndex check = new CheckIndex(d)) {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        check.setInfoStream(new PrintStream(log, true, StandardCharsets.UTF_8));
        assertThat(check.checkIndex().clean).as(log.toString(StandardCharsets.UTF_8)).isTrue();
      }
      Set<String> ids = new HashSet<>();
      try (DirectoryReader r = DirectoryReader.open(d)) {
        for (LeafReaderContext leaf : r.leaves()) {
          Bits live = leaf.reader().getLiveDocs();
          StoredFields stored = leaf.reader().storedFields();
          for (int doc = 0; doc < leaf.reader().maxDoc(); doc++) {
            var document = live == null || live.get(doc) ? stored.document(doc) : null;
            if (document != null && "chunk".equals(document.get("kind"))) {
              assertThat(ids.add(document.get("source") + "#" + document.get("id")))
                  .as("chunk %s of %s stored twice", document.get("id"), document.get("source"))
                  .isTrue();
            }
          }
        }
      }
    }
    try (Store s = Store.openReadOnly(store)) {
      Set<String> stored = s.sourcesUnder(tree.toString()).keySet();
      assertThat(stored).as("acknowledged files still in the store").containsAll(acknowledged);
    }
  }

  private java.util.Map<String, String> env() {
    return java.util.Map.of("HELIX_HOME", dir.resolve("home").toString());
  }

  private static Set<String> files(Path tree) throws Exception {
    try (Stream<Path> walk = Files.walk(tree)) {
      Set<String> out = new TreeSet<>();
      walk.filter(Files::isRegularFile).forEach(p -> out.add(p.toString()));
      return out;
    }
  }

  private static int countFiles(Path tree) throws Exception {
    return files(tree).size();
  }

  private static void write(Path file, int n, Random random) throws Exception {
    StringBuilder s =
        new StringBuilder(
            "package p;\n\n/** Class number " + n + " of the tree. */\nclass C" + n + " {\n");
    for (int m = 0; m < 25; m++) {
      s.append("\n  /** Method ")
          .append(m)
          .append(" computes ")
          .append(random.nextInt())
          .append(". */\n");
      s.append("  int m")
          .append(m)
          .append("(int x) {\n    return x * ")
          .append(random.nextInt(1000))
          .append(";\n  }\n");
    }
    Files.createDirectories(file.getParent());
    Files.writeString(file, s.append("}\n").toString());
  }
}
