package dev.helix.server;

import dev.helix.context.ContentType;
import dev.helix.context.ContextAnswer;
import dev.helix.context.ContextRequest;
import dev.helix.context.ContextService;
import dev.helix.context.Health;
import dev.helix.context.IngestProgress;
import dev.helix.context.IngestReport;
import dev.helix.context.IngestedContent;
import dev.helix.context.MissReason;
import dev.helix.context.PacketAnswer;
import dev.helix.context.PacketRequest;
import dev.helix.context.Recommendation;
import dev.helix.context.StoreStats;
import dev.helix.context.Verdict;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/** A store that answers every query with one prepared answer and records what was ingested. */
final class FixedContextService implements ContextService {
  final List<ContextRequest> queries = new CopyOnWriteArrayList<>();
  final List<String> ingested = new CopyOnWriteArrayList<>();
  final List<List<Path>> ingestedPaths = new CopyOnWriteArrayList<>();
  private volatile ContextAnswer answer;
  private volatile @Nullable IOException failure;

  FixedContextService(ContextAnswer answer) {
    this.answer = answer;
  }

  static FixedContextService noMatch() {
    return new FixedContextService(
        new ContextAnswer(
            new Verdict.Miss(MissReason.NO_MATCH, List.of(), List.of()),
            "",
            List.of(),
            new Health(Health.Status.ABSTAIN, 0, 1),
            Recommendation.ESCALATE,
            1,
            List.of()));
  }

  void answer(ContextAnswer next) {
    this.answer = next;
  }

  @Override
  public ContextAnswer context(ContextRequest request) throws IOException {
    queries.add(request);
    IOException failing = failure;
    if (failing != null) {
      throw failing;
    }
    return answer;
  }

  /** From now on every question fails with {@code e}, as a store whose cluster went away does. */
  void fail(IOException e) {
    this.failure = e;
  }

  @Override
  public PacketAnswer packet(PacketRequest request) {
    return new PacketAnswer(answer.verdict(), List.of(), List.of(), List.of());
  }

  @Override
  public IngestReport ingest(
      List<Path> paths, List<@Nullable String> names, IngestProgress progress) {
    ingestedPaths.add(paths);
    return new IngestReport(paths.size(), 0, 0, 0, 0, 3, 100, 0.1, stats());
  }

  @Override
  public IngestReport sync(IngestProgress progress) {
    return ingest(List.of(), List.of(), progress);
  }

  @Override
  public IngestReport changes(String name, java.util.Collection<Path> paths) {
    return ingest(List.copyOf(paths), List.of(), IngestProgress.NONE);
  }

  @Override
  public List<dev.helix.context.RootStatus> roots() {
    return List.of();
  }

  @Override
  public dev.helix.context.RemovedRoot removeRoot(String name) {
    throw new dev.helix.context.UnknownRootException(name, List.of());
  }

  @Override
  public dev.helix.context.SourceLines lines(String source, int start, int end)
      throws java.io.IOException {
    throw new java.nio.file.NoSuchFileException(source);
  }

  @Override
  public long indexVersion() {
    return 1;
  }

  @Override
  public IngestedContent ingestContent(String content, ContentType type, @Nullable String source) {
    ingested.add(type.word() + ":" + content);
    return new IngestedContent(List.of("00000000000000aa"));
  }

  @Override
  public StoreStats stats() {
    return new StoreStats(7, 2, 4096);
  }

  @Override
  public void close() {}
}
