package dev.helix.context;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A store with nothing in it: every query is a {@code no_match} miss. Replaced by the Lucene store. */
final class EmptyContextService implements ContextService {
  @Override
  public ContextAnswer context(ContextRequest request) {
    return new ContextAnswer(new Verdict.Miss(MissReason.NO_MATCH, List.of(), List.of()), "", List.of(),
        new Health(Health.Status.ABSTAIN, 0, 1), Recommendation.ESCALATE, 0, List.of());
  }

  @Override
  public PacketAnswer packet(PacketRequest request) {
    return new PacketAnswer(new Verdict.Miss(MissReason.NO_MATCH, List.of(), List.of()), List.of(), List.of(), List.of());
  }

  @Override
  public IngestReport ingest(List<Path> paths, IngestProgress progress) throws IOException {
    throw new IOException("ingest is not available yet in this build");
  }

  @Override
  public IngestedContent ingestContent(String content, ContentType type, @Nullable String source) throws IOException {
    throw new IOException("ingest is not available yet in this build");
  }

  @Override
  public StoreStats stats() {
    return new StoreStats(0, 0, 0);
  }

  @Override
  public void close() {}
}
