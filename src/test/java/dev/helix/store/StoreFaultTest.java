package dev.helix.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.lucene.index.CheckIndex;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.FilterDirectory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexInput;
import org.apache.lucene.store.IndexOutput;
import org.apache.lucene.store.SingleInstanceLockFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The store on a disk that fails: full after some bytes, dead, or losing power (every file not yet
 * fsync'd is gone). Lucene's test framework's MockDirectoryWrapper needs a randomized-testing
 * context JUnit 5 does not give, so {@link FaultyDirectory} plays the disk. In every case the
 * writer's error says what failed, and the store opens again with its last commit, CheckIndex
 * clean.
 */
class StoreFaultTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(longs = {0, 100, 4_000, 30_000})
  void fullDiskGivesAClearErrorAndTheLastCommitStillOpens(long bytesLeft) throws Exception {
    FaultyDirectory disk = disk();
    Store store = LuceneStore.openWritable(dir, disk);
    write(store, "committed", 20);
    store.commit();

    disk.bytesLeft = bytesLeft;
    Throwable failure =
        catchThrowable(
            () -> {
              // Enough that the commit needs more than the largest bytesLeft (300 sources fit in 30
              // KB once the
              // store dropped positions and compound files).
              write(store, "lost", 1_000);
              store.commit();
            });
    assertThat(failure).isInstanceOf(IOException.class);
    assertThat(messages(failure)).contains("No space left on device");
    closeQuietly(store);

    assertLastCommit(List.of("committed"), 20);
  }

  /** Found by this suite: a full disk was reported only as Lucene's "No space left on device". */
  @Test
  void fullDiskErrorNamesTheStoreAndWhatToDo() throws Exception {
    FaultyDirectory disk = disk();
    Store store = LuceneStore.openWritable(dir, disk);
    write(store, "lost", 5);
    disk.bytesLeft = 0;

    Throwable failure = catchThrowable(store::commit);
    closeQuietly(store);

    assertThat(failure)
        .isInstanceOf(IOException.class)
        .hasMessageContaining("writing the store at " + dir)
        .hasMessageContaining("No space left on device")
        .hasMessageContaining("everything committed before is kept")
        .hasMessageContaining("free disk space");
  }

  @Test
  void deadDiskFailsTheCommitAndTheStoreOpensWithItsLastCommit() throws Exception {
    FaultyDirectory disk = disk();
    Store store = LuceneStore.openWritable(dir, disk);
    write(store, "committed", 10);
    store.commit();
    write(store, "lost", 10);
    disk.dead = true;

    Throwable failure = catchThrowable(store::commit);
    assertThat(failure).isInstanceOf(IOException.class);
    assertThat(messages(failure)).contains("input/output error");
    closeQuietly(store);

    assertLastCommit(List.of("committed"), 10);
  }

  @Test
  void powerLossAfterAFlushLosesOnlyWhatWasNotCommitted() throws Exception {
    FaultyDirectory disk = disk();
    Store store = LuceneStore.openWritable(dir, disk);
    write(store, "first", 10);
    store.commit();
    write(store, "second", 10);
    store.commit();
    write(store, "unacknowledged", 50);
    store.lexical("word", 1); // a search reopens the reader: the new segment is written, not synced
    // Power goes: nothing more reaches the disk, and files never fsync'd are lost.
    disk.dead = true;
    closeQuietly(store);
    try (var files = Files.list(dir)) {
      for (Path file : files.toList()) {
        String name = file.getFileName().toString();
        if (!disk.synced.contains(name) && !name.equals("write.lock")) {
          Files.delete(file);
        }
      }
    }

    assertLastCommit(List.of("first", "second"), 20);
  }

  private FaultyDirectory disk() throws IOException {
    // A lock per directory instance: the abandoned writer's lock must not block the reopen.
    return new FaultyDirectory(FSDirectory.open(dir, new SingleInstanceLockFactory()));
  }

  private static void write(Store store, String prefix, int sources) throws IOException {
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
                  ("word " + prefix + " " + i + " ").repeat(40),
                  "code",
                  "java",
                  1,
                  1,
                  null)));
    }
  }

  private void assertLastCommit(List<String> prefixes, long chunks) throws Exception {
    try (Directory d = FSDirectory.open(dir);
        CheckIndex check = new CheckIndex(d)) {
      ByteArrayOutputStream log = new ByteArrayOutputStream();
      check.setInfoStream(new PrintStream(log, true, StandardCharsets.UTF_8));
      assertThat(check.checkIndex().clean).as(log.toString(StandardCharsets.UTF_8)).isTrue();
    }
    try (Store store = Store.openWritable(dir)) {
      assertThat(store.totals().chunks()).isEqualTo(chunks);
      for (String prefix : prefixes) {
        assertThat(store.sourcesUnder("/" + prefix)).hasSize((int) chunks / prefixes.size());
      }
      assertThat(store.sourcesUnder("/lost")).isEmpty();
      assertThat(store.sourcesUnder("/unacknowledged")).isEmpty();
      // ...and it takes writes again.
      write(store, "after", 1);
      store.commit();
      assertThat(store.sourcesUnder("/after")).hasSize(1);
    }
  }

  private static String messages(Throwable e) {
    StringBuilder all = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      all.append(t.getMessage()).append(" | ");
    }
    for (Throwable s : e.getSuppressed()) {
      all.append(s.getMessage()).append(" | ");
    }
    return all.toString();
  }

  private static void closeQuietly(Store store) {
    try {
      store.close();
    } catch (Exception | AssertionError expected) {
      // the disk is failing: closing may fail too, and must not matter for what was committed
    }
  }

  /**
   * A disk that fills up after {@link #bytesLeft} bytes or dies, and remembers which files were
   * fsync'd.
   */
  static final class FaultyDirectory extends FilterDirectory {
    volatile long bytesLeft = Long.MAX_VALUE;
    volatile boolean dead;
    final Set<String> synced = ConcurrentHashMap.newKeySet();

    FaultyDirectory(Directory in) {
      super(in);
    }

    private void check(String what) throws IOException {
      if (dead) {
        throw new IOException(what + ": input/output error (the test's disk is dead)");
      }
    }

    @Override
    public IndexOutput createOutput(String name, IOContext context) throws IOException {
      check("create " + name);
      return new Output(name, in.createOutput(name, context));
    }

    @Override
    public IndexOutput createTempOutput(String prefix, String suffix, IOContext context)
        throws IOException {
      check("create temp " + prefix);
      IndexOutput out = in.createTempOutput(prefix, suffix, context);
      return new Output(out.getName(), out);
    }

    @Override
    public IndexInput openInput(String name, IOContext context) throws IOException {
      check("open " + name);
      return in.openInput(name, context);
    }

    @Override
    public void sync(Collection<String> names) throws IOException {
      check("fsync " + names);
      in.sync(names);
      synced.addAll(names);
    }

    @Override
    public void syncMetaData() throws IOException {
      check("fsync directory");
      in.syncMetaData();
    }

    @Override
    public void rename(String source, String dest) throws IOException {
      check("rename " + source);
      in.rename(source, dest);
      if (synced.remove(source)) {
        synced.add(dest);
      }
    }

    @Override
    public void deleteFile(String name) throws IOException {
      check("delete " + name);
      in.deleteFile(name);
      synced.remove(name);
    }

    private final class Output extends IndexOutput {
      private final IndexOutput out;

      Output(String name, IndexOutput out) {
        super("faulty(" + name + ")", name);
        this.out = out;
      }

      private void take(long n) throws IOException {
        check("write " + getName());
        if (bytesLeft < n) {
          bytesLeft = 0;
          throw new IOException("write " + getName() + ": No space left on device");
        }
        bytesLeft -= n;
      }

      @Override
      public void writeByte(byte b) throws IOException {
        take(1);
        out.writeByte(b);
      }

      @Override
      public void writeBytes(byte[] b, int offset, int length) throws IOException {
        take(length);
        out.writeBytes(b, offset, length);
      }

      @Override
      public long getFilePointer() {
        return out.getFilePointer();
      }

      @Override
      public long getChecksum() throws IOException {
        return out.getChecksum();
      }

      @Override
      public void close() throws IOException {
        out.close();
      }
    }
  }
}
