package dev.helix.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The {@code [store]} section: where the store lives, what ingest accepts, whether a running server
 * follows its roots' changes ({@code watch}), and which backend keeps the chunks ({@code backend}:
 * "lucene", embedded, or "opensearch" with {@code [store.opensearch]}).
 */
public record StoreConfig(
    Path path,
    boolean embeddings,
    long maxFileBytes,
    boolean watch,
    String backend,
    OpenSearchConfig opensearch) {
  /** The embedded backend, the default. */
  public static final String LUCENE = "lucene";

  /** The team store on an OpenSearch cluster (docs/opensearch.md). */
  public static final String OPENSEARCH = "opensearch";

  public StoreConfig {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(backend, "backend");
    Objects.requireNonNull(opensearch, "opensearch");
  }

  /** The embedded Lucene store, as before the OpenSearch backend existed. */
  public StoreConfig(Path path, boolean embeddings, long maxFileBytes, boolean watch) {
    this(
        path,
        embeddings,
        maxFileBytes,
        watch,
        LUCENE,
        new OpenSearchConfig(
            List.of("http://localhost:9200"),
            "helix",
            null,
            null,
            null,
            true,
            "unknown@localhost"));
  }

  /** Whether the chunks live on an OpenSearch cluster rather than in the embedded store. */
  public boolean onOpenSearch() {
    return backend.equals(OPENSEARCH);
  }
}
