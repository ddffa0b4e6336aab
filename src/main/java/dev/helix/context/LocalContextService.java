package dev.helix.context;

import dev.helix.compress.Tokens;
import dev.helix.store.Store;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
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

  LocalContextService(Store store, @Nullable Embedder embedder, java.util.function.Supplier<Tokens> tokens, Clock clock, long maxFileBytes,
      @Nullable Path storeDir, boolean writable) {
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
    Verdicts.Judged j = judge(request.query());
    Window.Assembled window = Window.assemble(Window.order(j.ranking().candidates(), Verdicts.maxFused(j.ranking())),
        Set.copyOf(j.terms()), store, tokens.get(), request.maxTokens(), request.maxChunks());
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
        warnings.add("[" + (i + 1) + "] " + p.candidate().chunk().source() + " "
            + (state == Freshness.State.GONE ? "is gone" : "changed on disk") + " since it was indexed; re-ingest it");
      }
      citations.add(new Citation(p.candidate().chunk().id(), p.candidate().chunk().source(), p.startLine(), p.endLine(),
          Verdicts.round(p.candidate().fused() / max), state.stale()));
    }
    boolean topStale = !citations.isEmpty() && citations.getFirst().stale();
    Verdicts.Outcome o = Verdicts.decide(j, topStale, List.copyOf(staleSources), citations);
    String context = o.verdict() instanceof Verdict.Miss m && m.reason() == MissReason.NO_MATCH ? "" : window.text();
    if (o.verdict() instanceof Verdict.Miss m && m.reason() == MissReason.NO_MATCH) {
      citations = List.of();
    }
    return new ContextAnswer(o.verdict(), context, citations, o.health(), o.recommendation(),
        (System.nanoTime() - t0) / 1_000_000, warnings);
  }

  @Override
  public PacketAnswer packet(PacketRequest request) throws IOException {
    Verdicts.Judged j = judge(request.query());
    return Packets.build(j, store, clock, request);
  }

  Verdicts.Judged judge(String query) throws IOException {
    if (store.chunks() == 0) {
      // Nothing to find: the query is not even analysed (every chat through the proxy asks).
      return new Verdicts.Judged(new Ranking.Result(List.of(), Double.NaN, 1), List.of(), new Evidence.Score(0, 0, 0, 0),
          true);
    }
    List<String> terms = store.terms(query);
    Ranking.Result ranking = Ranking.rank(store, embedder, query, terms, Ranking.Mode.FUSED, Ranking.DENSE_WEIGHT);
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
        out.add(missing + " chunks still wait for their vectors: ranking is lexical for those until they are filled in");
      }
    }
    return out;
  }

  @Override
  public IngestReport ingest(List<Path> paths, IngestProgress progress) throws IOException {
    ingestLock.lock();
    if (filler != null) {
      filler.pause();
    }
    try {
      int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
      return new Ingestor(store, clock, maxFileBytes, storeDir, threads).ingest(paths, progress);
    } finally {
      if (filler != null) {
        filler.resume();
      }
      ingestLock.unlock();
    }
  }

  @Override
  public void awaitVectors(IngestProgress progress) throws IOException, InterruptedException {
    if (filler != null) {
      filler.await(progress);
    }
  }

  @Override
  public IngestedContent ingestContent(String content, ContentType type, @Nullable String source) throws IOException {
    if (content.isBlank()) {
      throw new IllegalArgumentException("content is empty; send the text to store in 'content'");
    }
    if (content.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("content holds a NUL byte at index " + content.indexOf('\0')
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
    return new StoreStats(t.chunks(), t.sources(), t.storeBytes(), embedder == null ? null : store.chunksMissingVectors());
  }

  @Override
  public void close() throws IOException {
    try {
      if (filler != null) {
        filler.close();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      store.close();
    }
  }
}
