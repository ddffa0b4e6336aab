package dev.helix.context;

import dev.helix.compress.Tokens;
import dev.helix.store.Store;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The context service over one open store: ranking, verdict, window, packets and ingest. Queries
 * run concurrently; ingests run one at a time; vectors are filled behind by {@link VectorFiller}.
 */
final class LocalContextService implements ContextService {
  private final Store store;
  private final @Nullable Embedder embedder;

  /**
   * Loaded on the first query, not at open: the cl100k tables take from 0.1 s to seconds on a busy
   * machine, and the server must answer /health right after it opens the store.
   */
  private final java.util.function.Supplier<Tokens> tokens;

  private final Clock clock;
  private final long maxFileBytes;
  private final @Nullable Path storeDir;
  private final @Nullable VectorFiller filler;
  private final ReentrantLock ingestLock = new ReentrantLock();

  /** Roots an ingest is syncing right now. */
  private final Set<String> syncing = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private final Extents extents = new Extents();

  LocalContextService(
      Store store,
      @Nullable Embedder embedder,
      java.util.function.Supplier<Tokens> tokens,
      Clock clock,
      long maxFileBytes,
      @Nullable Path storeDir,
      boolean writable) {
    this.store = store;
    this.embedder = embedder;
    this.tokens = tokens;
    this.clock = clock;
    this.maxFileBytes = maxFileBytes;
    this.storeDir = storeDir;
    this.filler = writable && embedder != null ? new VectorFiller(store, embedder) : null;
    if (filler != null) {
      filler.start();
    }
  }

  @Override
  public ContextAnswer context(ContextRequest request) throws IOException {
    long t0 = System.nanoTime();
    Verdicts.Judged j = judge(scoped(request.roots()), request.query());
    Window.Assembled window =
        Window.assemble(
            Window.order(j.ranking().candidates(), Verdicts.maxFused(j.ranking())),
            Set.copyOf(j.terms()),
            store,
            tokens.get(),
            request.maxTokens(),
            request.maxChunks());
    Freshness freshness = new Freshness(store);
    List<Citation> citations = new ArrayList<>();
    List<String> warnings = new ArrayList<>(warnings(j.emptyStore()));
    Set<String> staleSources = new LinkedHashSet<>();
    double max = Verdicts.maxFused(j.ranking());
    for (int i = 0; i < window.placed().size(); i++) {
      Window.Placed p = window.placed().get(i);
      Freshness.State state = freshness.of(p.candidate().chunk());
      if (state.stale()) {
        staleSources.add(p.candidate().chunk().source());
        warnings.add(
            "["
                + (i + 1)
                + "] "
                + p.candidate().chunk().source()
                + " "
                + (state == Freshness.State.GONE ? "is gone" : "changed on disk")
                + " since it was indexed; re-ingest it");
      }
      citations.add(
          new Citation(
              p.candidate().chunk().id(),
              p.candidate().chunk().source(),
              p.startLine(),
              p.endLine(),
              Verdicts.round(p.candidate().fused() / max),
              state.stale()));
    }
    boolean topStale = !citations.isEmpty() && citations.getFirst().stale();
    Verdicts.Outcome o = Verdicts.decide(j, topStale, List.copyOf(staleSources), citations);
    String context =
        o.verdict() instanceof Verdict.Miss m && m.reason() == MissReason.NO_MATCH
            ? ""
            : window.text();
    if (o.verdict() instanceof Verdict.Miss m && m.reason() == MissReason.NO_MATCH) {
      citations = List.of();
    }
    return new ContextAnswer(
        o.verdict(),
        context,
        citations,
        o.health(),
        o.recommendation(),
        (System.nanoTime() - t0) / 1_000_000,
        warnings,
        store.version());
  }

  @Override
  public PacketAnswer packet(PacketRequest request) throws IOException {
    Verdicts.Judged j = judge(scoped(request.roots()), request.query());
    return Packets.build(j, store, clock, request).withIndexVersion(store.version());
  }

  /** The store as a query scoped to the roots {@code names} sees it (all of it when none). */
  private Store scoped(List<String> names) throws IOException {
    return names.isEmpty() ? store : store.within(Roots.paths(store.roots(), names));
  }

  Verdicts.Judged judge(String query) throws IOException {
    return judge(store, query);
  }

  private Verdicts.Judged judge(Store store, String query) throws IOException {
    if (store.chunks() == 0) {
      // Nothing to find: the query is not even analysed (every chat through the proxy asks).
      return new Verdicts.Judged(
          new Ranking.Result(List.of(), Double.NaN, 1),
          List.of(),
          new Evidence.Score(0, 0, 0, 0),
          true);
    }
    List<String> terms = store.terms(query);
    Ranking.Result ranking =
        Ranking.rank(store, embedder, query, terms, Ranking.Mode.FUSED, Ranking.DENSE_WEIGHT);
    return new Verdicts.Judged(ranking, terms, Evidence.score(store, terms, ranking), false);
  }

  /** The store, for the evaluation in bench/store. */
  Store store() {
    return store;
  }

  /** The embedder, or null with embeddings off. */
  @Nullable Embedder embedder() {
    return embedder;
  }

  private List<String> warnings(boolean emptyStore) throws IOException {
    List<String> out = new ArrayList<>();
    if (emptyStore) {
      out.add("the store at " + storeDir + " is empty: run helix ingest PATH first");
      return out;
    }
    if (embedder != null) {
      long missing = store.chunksMissingVectors();
      if (missing > 0) {
        out.add(
            missing
                + " chunks still wait for their vectors: ranking is lexical for those until they are filled in");
      }
    }
    return out;
  }

  @Override
  public IngestReport ingest(
      List<Path> paths, List<@Nullable String> names, IngestProgress progress) throws IOException {
    List<Path> abs = paths.stream().map(p -> p.toAbsolutePath().normalize()).toList();
    ingestLock.lock();
    if (filler != null) {
      filler.pause();
    }
    List<Store.Root> roots = List.of();
    try {
      List<Store.Root> existing = store.roots();
      roots = Roots.assign(existing, abs, names);
      List<Store.Root> recorded = new ArrayList<>();
      for (int i = 0; i < abs.size(); i++) {
        Store.Root r = roots.get(i);
        Store.Root before = Roots.find(existing, r.path());
        if (before != null && !before.name().equals(r.name())) {
          store.removeRoot(before.name());
        }
        // A vanished path is ingested as empty (its sources go) and stops being a root.
        if (Files.exists(abs.get(i))) {
          store.putRoot(r);
          recorded.add(r);
        } else if (before != null) {
          store.removeRoot(before.name());
        }
      }
      roots = recorded;
      roots.forEach(r -> syncing.add(r.name()));
      IngestReport report =
          new Ingestor(store, clock, maxFileBytes, storeDir, threads()).ingest(abs, progress);
      long now = clock.millis();
      for (Store.Root r : roots) {
        store.putRoot(new Store.Root(r.name(), r.path(), now, null));
      }
      store.commit();
      return report.withRoots(roots.stream().map(Store.Root::name).toList());
    } catch (IOException | RuntimeException e) {
      failed(roots, e);
      throw e;
    } finally {
      roots.forEach(r -> syncing.remove(r.name()));
      if (filler != null) {
        filler.resume();
      }
      ingestLock.unlock();
    }
  }

  /**
   * Records why a sync failed on its roots, so {@code /roots} shows it; the failure itself
   * propagates.
   */
  private void failed(List<Store.Root> roots, Exception e) {
    try {
      for (Store.Root r : roots) {
        store.putRoot(
            new Store.Root(r.name(), r.path(), r.lastSyncMillis(), String.valueOf(e.getMessage())));
      }
      store.commit();
    } catch (IOException | RuntimeException again) {
      e.addSuppressed(again);
    }
  }

  private static int threads() {
    return Math.max(1, Runtime.getRuntime().availableProcessors());
  }

  @Override
  public IngestReport sync(IngestProgress progress) throws IOException {
    List<Store.Root> there =
        store.roots().stream().filter(r -> Files.exists(Path.of(r.path()))).toList();
    if (there.isEmpty()) {
      throw new IllegalArgumentException(
          store.roots().isEmpty()
              ? "the store has no roots to sync yet: run helix ingest PATH first"
              : "every root's folder is gone (helix roots lists them): bring them back or remove them");
    }
    return ingest(
        there.stream().map(r -> Path.of(r.path())).toList(),
        there.stream().map(Store.Root::name).toList(),
        progress);
  }

  @Override
  public IngestReport changes(String name, Collection<Path> paths) throws IOException {
    ingestLock.lock();
    if (filler != null) {
      filler.pause();
    }
    try {
      Store.Root root =
          store.roots().stream().filter(r -> r.name().equals(name)).findFirst().orElse(null);
      if (root == null || !Files.exists(Path.of(root.path()))) {
        // Removed meanwhile, or its folder is gone: its sources stay as they are (cited stale).
        Store.Totals t = store.totals();
        return new IngestReport(
            0, 0, 0, 0, 0, 0, 0, 0, new StoreStats(t.chunks(), t.sources(), t.storeBytes()));
      }
      long now = clock.millis();
      // One thread: the watcher's work must leave the other cores to queries.
      return new Ingestor(store, clock, maxFileBytes, storeDir, 1)
          .changes(Path.of(root.path()), paths, new Store.Root(root.name(), root.path(), now, null))
          .withRoots(List.of(name));
    } finally {
      if (filler != null) {
        filler.resume();
      }
      ingestLock.unlock();
    }
  }

  @Override
  public List<RootStatus> roots() throws IOException {
    long version = store.version();
    List<RootStatus> out = new ArrayList<>();
    for (Store.Root r : store.roots()) {
      Store.Extent e = extents.of(version, r.path());
      RootStatus.State state =
          syncing.contains(r.name())
              ? RootStatus.State.SYNCING
              : !Files.exists(Path.of(r.path()))
                  ? RootStatus.State.GONE
                  : r.error() != null ? RootStatus.State.ERROR : RootStatus.State.SYNCED;
      out.add(
          new RootStatus(
              r.name(),
              r.path(),
              e.files(),
              e.chunks(),
              e.bytes(),
              state,
              r.lastSyncMillis(),
              0,
              false,
              r.error()));
    }
    return out;
  }

  @Override
  public RemovedRoot removeRoot(String name) throws IOException {
    ingestLock.lock();
    try {
      List<Store.Root> roots = store.roots();
      Store.Root root = Roots.byName(roots, name);
      List<Store.Root> others = roots.stream().filter(r -> !r.name().equals(name)).toList();
      Store.Extent before = store.extent(root.path());
      for (String source : store.sourcesUnder(root.path()).keySet()) {
        if (others.stream().noneMatch(o -> Roots.holds(o, source))) {
          store.delete(source);
        }
      }
      store.removeRoot(name);
      store.commit();
      Store.Extent after = store.extent(root.path());
      return new RemovedRoot(
          name, before.files() - after.files(), before.chunks() - after.chunks());
    } finally {
      ingestLock.unlock();
    }
  }

  @Override
  public SourceLines lines(String source, int start, int end) throws IOException {
    Store.Source stored =
        store
            .source(source)
            .orElseThrow(
                () ->
                    new java.nio.file.NoSuchFileException(
                        source,
                        null,
                        "the store holds no source with this path; only indexed sources can be read (GET /roots lists the folders)"));
    List<String> all;
    boolean stale;
    Path file = Path.of(source);
    if (stored.file() && Files.isRegularFile(file)) {
      all = Texts.decode(Files.readAllBytes(file)).lines().toList();
      stale =
          Files.size(file) != stored.size()
              || Files.getLastModifiedTime(file).toMillis() != stored.mtimeMillis();
    } else {
      // Gone from disk, or posted content: the store's own copy, chunk by chunk.
      java.util.TreeMap<Integer, String> byLine = new java.util.TreeMap<>();
      for (Store.Chunk c : store.chunksOf(source)) {
        List<String> lines = c.text().lines().toList();
        for (int i = 0; i < lines.size(); i++) {
          byLine.putIfAbsent(c.startLine() + i, lines.get(i));
        }
      }
      int last = byLine.isEmpty() ? 0 : byLine.lastKey();
      all = new ArrayList<>();
      for (int n = 1; n <= last; n++) {
        all.add(byLine.getOrDefault(n, ""));
      }
      stale = stored.file();
    }
    int from = Math.max(1, Math.min(start, all.size()));
    int to = Math.max(from, Math.min(end, all.size()));
    String text = all.isEmpty() ? "" : String.join("\n", all.subList(from - 1, to));
    return new SourceLines(source, from, to, all.size(), text, stale);
  }

  @Override
  public long indexVersion() throws IOException {
    return store.version();
  }

  /**
   * Each root's extent, worked out once per index version: counting a big root's files and bytes
   * reads every source document, and dashboards ask every few seconds.
   */
  private final class Extents {
    private long version = -1;
    private final java.util.Map<String, Store.Extent> byPath = new java.util.HashMap<>();

    synchronized Store.Extent of(long v, String path) throws IOException {
      if (v != version) {
        byPath.clear();
        version = v;
      }
      Store.Extent e = byPath.get(path);
      if (e == null) {
        e = store.extent(path);
        byPath.put(path, e);
      }
      return e;
    }
  }

  @Override
  public void awaitVectors(IngestProgress progress) throws IOException, InterruptedException {
    if (filler != null) {
      filler.await(progress);
    }
  }

  @Override
  public IngestedContent ingestContent(String content, ContentType type, @Nullable String source)
      throws IOException {
    if (content.isBlank()) {
      throw new IllegalArgumentException("content is empty; send the text to store in 'content'");
    }
    if (content.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(
          "content holds a NUL byte at index "
              + content.indexOf('\0')
              + "; only text can be ingested");
    }
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    String sha = Hashes.sha256(bytes);
    String name = source == null || source.isBlank() ? "posted:" + sha.substring(0, 16) : source;
    long now = clock.millis();
    List<Store.Chunk> chunks = Ingestor.chunks(name, content, Language.posted(type), now, now);
    ingestLock.lock();
    try {
      store.replace(new Store.Source(name, now, bytes.length, sha, now, false), chunks);
      store.commit();
    } finally {
      ingestLock.unlock();
    }
    Set<String> seen = new HashSet<>();
    return new IngestedContent(chunks.stream().map(Store.Chunk::id).filter(seen::add).toList());
  }

  @Override
  public StoreStats stats() throws IOException {
    Store.Totals t = store.totals();
    return new StoreStats(
        t.chunks(),
        t.sources(),
        t.storeBytes(),
        embedder == null ? null : store.chunksMissingVectors());
  }

  @Override
  public void close() throws IOException {
    try {
      if (filler != null) {
        filler.close();
      }
    } finally {
      store.close();
    }
  }
}
