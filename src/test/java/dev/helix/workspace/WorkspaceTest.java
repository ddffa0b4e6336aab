package dev.helix.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.helix.config.ConfigLoader;
import dev.helix.config.HelixConfig;
import dev.helix.context.Citation;
import dev.helix.context.ContextAnswer;
import dev.helix.context.ContextRequest;
import dev.helix.context.ContextService;
import dev.helix.context.ContextServices;
import dev.helix.context.IngestProgress;
import dev.helix.context.RootStatus;
import dev.helix.context.UnknownRootException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live workspaces on a real file system, a real Lucene store and the real watcher, in-process: the
 * paths a user notices (a save found, a deletion gone, an ignored file costing nothing, lost events
 * rescanned, a root gone and back). The server process is exercised by WorkspaceIT.
 */
class WorkspaceTest {
  /** Generous against a loaded CI machine; the 2 s target is measured by bench/workspace. */
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;
  Path repo;
  ContextService context;
  Workspace workspace;

  @BeforeEach
  void setUp() throws Exception {
    repo = dir.resolve("repo");
    write(
        repo.resolve("src/Cache.java"),
        "/** Evicts the least recently used entry when the cache is full. */\nclass Cache {}\n");
    write(repo.resolve(".gitignore"), "build/\n*.log\n");
    context = ContextServices.open(config(dir));
    context.ingest(List.of(repo), IngestProgress.NONE);
    workspace = new Workspace(context, true, dir.resolve("store"));
    workspace.start();
    await(
        "the root is watched",
        () ->
            workspace.watching()
                && workspace.pending() == 0
                && workspace.roots().getFirst().state() == RootStatus.State.SYNCED);
  }

  @AfterEach
  void tearDown() throws Exception {
    workspace.close();
    context.close();
  }

  static HelixConfig config(Path dir) throws Exception {
    Path home = Files.createDirectories(dir.resolve("home"));
    Path toml = dir.resolve("helix.toml");
    Files.writeString(
        toml, "[store]\npath = \"" + dir.resolve("store") + "\"\nembeddings = false\n");
    return new ConfigLoader(Map.of("HELIX_HOME", home.toString()), dir, home).load(toml).config();
  }

  @Test
  void aSavedFileIsFoundAndAChangedOneAnswersWithItsNewText() throws Exception {
    Path retry =
        write(
            repo.resolve("src/Retry.java"),
            "/** Retries a failed call with exponential backoff. */\nclass Retry {}\n");
    await("the new file is cited", () -> cites("exponential backoff retries", retry));

    write(
        retry, "/** Sends heartbeats to keep the websocket connection alive. */\nclass Retry {}\n");
    await("the changed text is found", () -> cites("websocket heartbeats", retry));
    assertThat(
            context.context(new ContextRequest("exponential backoff retries", 2000, 4)).context())
        .doesNotContain("exponential");
  }

  @Test
  void aFileSavedAgainAndAgainWhileItIsIndexedEndsAsTheDiskHasIt() throws Exception {
    Path busy = repo.resolve("src/Busy.java");
    for (int i = 0; i < 40; i++) {
      write(
          busy,
          "/** Draft number " + i + " of the tokenizer. */\nclass Busy { int draft" + i + "; }\n");
      Thread.sleep(15);
    }
    write(busy, "/** The final tokenizer splits camelCase identifiers. */\nclass Busy {}\n");
    await(
        "the last save is what the store holds",
        () ->
            workspace.pending() == 0
                && context
                    .context(
                        new ContextRequest("final tokenizer splits camelCase identifiers", 2000, 4))
                    .context()
                    .contains("The final tokenizer"));
    assertThat(context.context(new ContextRequest("draft number tokenizer", 2000, 8)).context())
        .doesNotContain("Draft number");
  }

  @Test
  void renamedDeletedAndNewFolderFilesFollowTheDisk() throws Exception {
    Path cache = repo.resolve("src/Cache.java");
    Path moved = repo.resolve("src/LruCache.java");
    Files.move(cache, moved);
    await(
        "the renamed file replaces the old path",
        () -> cites("least recently used entry", moved) && context.roots().getFirst().files() == 2);
    assertThat(sources("least recently used entry")).doesNotContain(cache.toString());

    Files.delete(moved);
    await("the deleted file is gone", () -> sources("least recently used entry").isEmpty());

    Path nested =
        write(
            repo.resolve("lib/deep/Parser.java"),
            "/** Parses tokenized markdown tables. */\nclass Parser {}\n");
    await("a file in a new folder is found", () -> cites("markdown tables parser", nested));
  }

  @Test
  void anIgnoredFileCostsNoWork() throws Exception {
    long version = context.indexVersion();
    write(repo.resolve("build/Out.java"), "class Out { /* zebra */ }\n");
    write(repo.resolve("app.log"), "zebra crossing\n");
    // Longer than a batch waits for its events to settle: a batch would have committed by now.
    Thread.sleep(Workspace.MAX_DELAY_MS * 2);
    assertThat(context.indexVersion()).isEqualTo(version);
    assertThat(workspace.pending()).isZero();
    // A file that is not ignored, saved after the ignored ones, shows the events were processed.
    Path marker =
        write(repo.resolve("src/Marker.java"), "/** Counts zebra crossings. */\nclass Marker {}\n");
    await("the marker is found", () -> cites("zebra crossings", marker));
    assertThat(sources("zebra")).containsExactly(marker.toString());
  }

  @Test
  void aFolderAnIgnoreFileNoLongerExcludesIsIndexedAndWatched() throws Exception {
    Path built =
        write(
            repo.resolve("build/Report.java"),
            "/** Summarizes nightly build reports. */\nclass Report {}\n");
    Thread.sleep(Workspace.MAX_DELAY_MS * 2);
    assertThat(sources("nightly build reports")).doesNotContain(built.toString());

    write(repo.resolve(".gitignore"), "*.log\n");
    await(
        "the folder is indexed once no longer ignored",
        () -> cites("nightly build reports", built));
    Path later =
        write(
            repo.resolve("build/Later.java"),
            "/** Archives weekly build artifacts. */\nclass Later {}\n");
    await("a save in it is found", () -> cites("archives weekly build artifacts", later));
  }

  @Test
  void lostEventsRescanTheRootAndWarn() throws Exception {
    workspace.lost("repo", "the watch queue overflowed");
    await("the rescan is done", () -> workspace.pending() == 0);
    assertThat(workspace.warnings())
        .anySatisfy(w -> assertThat(w).contains("repo").contains("events were lost"));
  }

  @Test
  void aRootWhoseFolderDisappearsIsGoneKeepsItsSourcesAndComesBack() throws Exception {
    Path moved = dir.resolve("elsewhere");
    Files.move(repo, moved);
    await("the root is gone", () -> workspace.roots().getFirst().state() == RootStatus.State.GONE);
    ContextAnswer answer =
        context.context(new ContextRequest("least recently used entry", 2000, 4));
    assertThat(answer.citations()).isNotEmpty().allMatch(Citation::stale);

    Files.move(moved, repo);
    write(
        repo.resolve("src/Back.java"),
        "/** Reconnects after the folder came back. */\nclass Back {}\n");
    await(
        "the root is back and synced",
        () ->
            workspace.roots().getFirst().state() == RootStatus.State.SYNCED
                && workspace.roots().getFirst().watching()
                && cites("reconnects folder came back", repo.resolve("src/Back.java")));
  }

  @Test
  void aRootDeletedAndMadeAgainIsWatchedAgain() throws Exception {
    try (var files = Files.walk(repo)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    await("the root is gone", () -> workspace.roots().getFirst().state() == RootStatus.State.GONE);
    Path fresh =
        write(
            repo.resolve("Fresh.java"),
            "/** A new clone of the project, checked out again. */\nclass Fresh {}\n");
    await(
        "the new folder is synced and watched",
        () ->
            cites("new clone checked out again", fresh) && workspace.roots().getFirst().watching());
    Path later =
        write(
            repo.resolve("Later.java"),
            "/** Saved into the new folder after it was watched. */\nclass Later {}\n");
    await("a save in the new folder is found", () -> cites("saved into the new folder", later));
  }

  @Test
  void aRemovedRootIsNoLongerWatchedOrSearched() throws Exception {
    assertThat(workspace.remove("repo").sources()).isEqualTo(2);
    write(
        repo.resolve("src/Late.java"),
        "/** Written after the root was removed. */\nclass Late {}\n");
    Thread.sleep(1_000);
    assertThat(context.roots()).isEmpty();
    assertThat(context.stats().sources()).isZero();
    assertThatThrownBy(() -> workspace.remove("repo")).isInstanceOf(UnknownRootException.class);
  }

  @Test
  void aSymlinkLoopIsNotFollowed() throws Exception {
    Files.createSymbolicLink(repo.resolve("src/loop"), repo);
    Path after =
        write(
            repo.resolve("src/After.java"),
            "/** Found although a symlink loops back to the root. */\nclass After {}\n");
    await("a file saved next to the loop is found", () -> cites("symlink loops back", after));
    assertThat(context.roots().getFirst().files()).isEqualTo(3);
  }

  private boolean cites(String query, Path file) throws IOException {
    return sources(query).contains(file.toString());
  }

  private List<String> sources(String query) throws IOException {
    return context.context(new ContextRequest(query, 2000, 4)).citations().stream()
        .map(Citation::source)
        .distinct()
        .toList();
  }

  static Path write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    return Files.writeString(file, text);
  }

  static void await(String what, Callable<Boolean> condition) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.call()) {
        return;
      }
      Thread.sleep(25);
    }
    throw new AssertionError("waited " + WAIT.toSeconds() + " s for: " + what);
  }
}
