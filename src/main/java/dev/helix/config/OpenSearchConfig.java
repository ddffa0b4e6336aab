package dev.helix.config;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The {@code [store.opensearch]} section (docs/opensearch.md): the cluster's URLs, the index,
 * credentials (basic or an API key; secrets usually come from {@code HELIX_OPENSEARCH_PASSWORD} and
 * {@code HELIX_OPENSEARCH_API_KEY}), whether TLS certificates are checked, and whose sources this
 * server writes ({@code owner}, default user@host).
 */
public record OpenSearchConfig(
    List<String> urls,
    String index,
    @Nullable String username,
    @Nullable String password,
    @Nullable String apiKey,
    boolean tlsVerify,
    String owner) {
  public OpenSearchConfig {
    urls = List.copyOf(urls);
    Objects.requireNonNull(index, "index");
    Objects.requireNonNull(owner, "owner");
  }

  /** Never prints the secrets: a config is logged and shown by {@code helix config}. */
  @Override
  public String toString() {
    return "OpenSearchConfig[urls="
        + urls
        + ", index="
        + index
        + ", username="
        + username
        + ", password="
        + (password == null ? null : "***")
        + ", apiKey="
        + (apiKey == null ? null : "***")
        + ", tlsVerify="
        + tlsVerify
        + ", owner="
        + owner
        + "]";
  }
}
