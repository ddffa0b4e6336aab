package dev.helix.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.lucene.index.CheckIndex;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.SingleInstanceLockFactory;
import org.apache.lucene.tests.store.MockDirectoryWrapper;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The store under Lucene's own fault injector, {@link MockDirectoryWrapper}: power loss (every file
 * not yet fsync'd is deleted, truncated or garbled at random) and random I/O errors on writes and
 * opens. Each seed is a different run; whatever the disk did, the store opens with CheckIndex clean
 * and keeps every source whose commit was acknowledged.
 */
class StoreMockDirectoryTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 5, 8, 13, 21, 34, 55, 89})
  void powerLossAtAnyPointKeepsEveryAcknowledgedCommit(long seed) throws Exception {
    Random random = new Random(seed);
    MockDirectoryWrapper disk = disk(random);
    Store store = LuceneStore.openWritable(dir, disk);
    Set<String> acknowledged = new LinkedHashSet<>();
    int batches = 1 + random.nextInt(4);
    for (int b = 0; b < batches; b++) {
      List<String> batch = write(store, "committed" + b, 1 + random.nextInt(20), random);
      store.commit();
      acknowledged.addAll(batch);
    }
    write(store, "unacknowledged", 1 + random.nextInt(60), random);
    if (random.nextBoolean()) {
      store.lexical("word", 1); // flushes a segment that no commit references yet
    }
    disk.crash(); // power loss: unsynced files are deleted, truncated or overwritten with garbage
    closeQuietly(store);

    assertOpensWith(acknowledged);
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 5, 8, 13, 21, 34, 55, 89})
  void randomIoErrorsNeverLoseAnAcknowledgedSourceOrCorruptTheStore(long seed) throws Exception {
    Random random = new Random(seed);
    Set<String> acknowledged = new LinkedHashSet<>();
    List<String> errors = new ArrayList<>();
    int batch = 0;
    int writerOpens = 0;
    while (batch < 12 && writerOpens < 40) {
      writerOpens++;
      MockDirectoryWrapper disk = disk(random);
      Store store;
      try {
        store = LuceneStore.openWritable(dir, disk);
      } catch (IOException e) {
        errors.add(e.getMessage());
        closeQuietly(disk);
        continue;
      }
      // Faults start once the writer is open: every write, sync and open may fail from here on.
      disk.setRandomIOExceptionRate(0.02 + random.nextDouble() * 0.08);
      disk.setRandomIOExceptionRateOnOpen(0.02);
      try {
        while (batch < 12) {
          List<String> written = write(store, "batch" + batch, 1 + random.nextInt(15), random);
          if (random.nextInt(3) == 0) {
            store.lexical("word", 1);
          }
          store.commit();
          acknowledged.addAll(written);
          batch++;
        }
      } catch (IOException | RuntimeException e) {
        // A failed commit names the store; a failed write may come straight from Lucene.
        errors.add(e.getMessage());
        batch++;
      } finally {
        disk.setRandomIOExceptionRate(0);
        disk.setRandomIOExceptionRateOnOpen(0);
        closeQuietly(store);
      }
    }

    assertThat(errors).as("the faults hit (seed %s)", seed).isNotEmpty();
    assertThat(errors.stream().filter(m -> m != null && m.startsWith("writing the store at")))
        .allSatisfy(
            m ->
                assertThat(m)
                    .contains(dir.toString())
                    .contains("everything committed before is kept"));
    assertOpensWith(acknowledged);
  }

  private MockDirectoryWrapper disk(Random random) throws IOException {
    // A lock per directory instance: the writer abandoned by the crash must not block the reopen.
    MockDirectoryWrapper disk =
        new MockDirectoryWrapper(random, FSDirectory.open(dir, new SingleInstanceLockFactory()));
    // Its own checks need a randomized-testing context JUnit 5 has not got; the test checks
    // instead.
    disk.setCheckIndexOnClose(false);
    disk.setAssertNoUnrefencedFilesOnClose(false);
    return disk;
  }

  private static List<String> write(Store store, String prefix, int sources, Random random)
      throws IOException {
    List<String> written = new ArrayList<>();
    for (int i = 0; i < sources; i++) {
      String path = "/" + prefix + "/" + i;
      store.replace(
          new Store.Source(path, 1, 1, "h" + i, 1, true),
          List.of(
              new Store.Chunk(
                  path + "#1",
                  path,
                  1,
                  3,
                  ("word " + prefix + " " + i + " ").repeat(10 + random.nextInt(200)),
                  "code",
                  "java",
                  1,
                  1,
                  null)));
      written.add(path);
    }
    return written;
  }

  private void assertOpensWith(Set<String> acknowledged) throws Exception {
    try (Directory d = FSDirectory.open(dir);
        CheckIndex check = new CheckIndex(d)) {
      ByteArrayOutputStream log = new ByteArrayOutputStream();
      check.setInfoStream(new PrintStream(log, true, StandardCharsets.UTF_8));
      assertThat(check.checkIndex().clean).as(log.toString(StandardCharsets.UTF_8)).isTrue();
    }
    try (Store store = Store.openWritable(dir)) {
      assertThat(store.sourcesUnder("/").keySet()).containsAll(acknowledged);
      assertThat(store.sourcesUnder("/unacknowledged")).isEmpty();
      // A commit whose error came after it was durable may have kept more: never less.
      assertThat(store.lexical("word", 5))
          .hasSizeGreaterThanOrEqualTo(Math.min(5, acknowledged.size()));
      // ...and it takes writes again.
      write(store, "after", 1, new Random(0));
      store.commit();
      assertThat(store.sourcesUnder("/after")).hasSize(1);
    }
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception | AssertionError expected) {
      // the disk failed or lost power: closing may fail too, and must not matter for what was
      // committed
    }
  }
}
