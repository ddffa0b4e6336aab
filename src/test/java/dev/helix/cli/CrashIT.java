package dev.helix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
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
 * kill -9 during ingest, several times at random moments: the store still opens, answers, and
 * completes.
 */
class CrashIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void killingIngestAtRandomMomentsNeverCorruptsTheStoreOrDuplicatesChunks() throws Exception {
    Path tree = dir.resolve("tree");
    Random random = new Random(42);
    for (int f = 0; f < 800; f++) {
      StringBuilder s =
          new StringBuilder(
              "package p"
                  + (f % 20)
                  + ";\n\n/** Class number "
                  + f
                  + " of the tree. */\nclass C"
                  + f
                  + " {\n");
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
      Path file = tree.resolve("p" + (f % 20)).resolve("C" + f + ".java");
      Files.createDirectories(file.getParent());
      Files.writeString(file, s.append("}\n").toString());
    }
    HelixProcess helix = new HelixProcess(dir, false);
    Path store = helix.store();

    int killedMidway = 0;
    for (int round = 0; round < 6; round++) {
      Process p =
          helix
              .builder("ingest", tree.toString())
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      Thread.sleep(300 + random.nextInt(2500));
      if (p.isAlive()) {
        killedMidway++;
      }
      p.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no close
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      if (Files.exists(store)) {
        assertClean(store);
      }
    }
    assertThat(killedMidway).as("ingests killed while still running").isPositive();

    HelixProcess.Result query = helix.run("query", "class number 17 of the tree", "--json");
    assertThat(query.exit()).as(query.err()).isZero();
    assertThat(JSON.readTree(query.out()).has("verdict")).isTrue();

    HelixProcess.Result finish = helix.run("ingest", tree.toString(), "--json");
    assertThat(finish.exit()).as(finish.err()).isZero();
    assertClean(store);
    long chunks = uniqueChunks(store);

    // The same tree ingested once, without crashes, in a fresh store: the same chunks exactly.
    HelixProcess fresh = new HelixProcess(Files.createDirectories(dir.resolve("fresh")), false);
    assertThat(fresh.run("ingest", tree.toString()).exit()).isZero();
    assertThat(chunks).isEqualTo(uniqueChunks(fresh.store()));
    assertThat(JSON.readTree(finish.out()).path("store").path("sources").asInt()).isEqualTo(800);
  }

  private static void assertClean(Path store) throws Exception {
    try (Directory d = FSDirectory.open(store)) {
      if (!DirectoryReader.indexExists(d)) {
        // Killed before the empty first commit: nothing was acknowledged, and the store opens
        // empty.
        try (dev.helix.store.Store s = dev.helix.store.Store.openReadOnly(store)) {
          assertThat(s.totals().chunks()).isZero();
        }
        return;
      }
    }
    try (Directory d = FSDirectory.open(store);
        CheckIndex check = new CheckIndex(d)) {
      ByteArrayOutputStream log = new ByteArrayOutputStream();
      check.setInfoStream(new PrintStream(log, true, StandardCharsets.UTF_8));
      CheckIndex.Status status = check.checkIndex();
      assertThat(status.clean).as(log.toString(StandardCharsets.UTF_8)).isTrue();
    }
  }

  /** The number of chunks, failing on any chunk id stored twice. */
  private static long uniqueChunks(Path store) throws Exception {
    Set<String> ids = new HashSet<>();
    long n = 0;
    try (Directory d = FSDirectory.open(store);
        DirectoryReader r = DirectoryReader.open(d)) {
      for (LeafReaderContext leaf : r.leaves()) {
        Bits live = leaf.reader().getLiveDocs();
        StoredFields stored = leaf.reader().storedFields();
        for (int doc = 0; doc < leaf.reader().maxDoc(); doc++) {
          if (live != null && !live.get(doc)) {
            continue;
          }
          var document = stored.document(doc);
          if ("chunk".equals(document.get("kind"))) {
            n++;
            assertThat(ids.add(document.get("source") + "#" + document.get("id")))
                .as("chunk %s stored twice", document.get("id"))
                .isTrue();
          }
        }
      }
    }
    return n;
  }
}
