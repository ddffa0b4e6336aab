package dev.helix.store;

import dev.helix.config.OpenSearchConfig;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The OpenSearch store meets the store contract, on a real node in a child process. */
class OpenSearchStoreConformanceIT extends StoreConformance {
  private static final AtomicInteger INDEXES = new AtomicInteger();
  private static OpenSearchNode node;
  private String index = "";

  @BeforeAll
  static void startNode() throws Exception {
    node = OpenSearchNode.start();
  }

  @AfterAll
  static void stopNode() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  static OpenSearchConfig config(OpenSearchNode node, String index, String owner) {
    return new OpenSearchConfig(List.of(node.url().toString()), index, null, null, null, true, owner);
  }

  @Override
  Store open() throws Exception {
    index = "conformance-" + INDEXES.incrementAndGet();
    return Store.openOpenSearch(config(node, index, "tester@test"));
  }

  @Override
  Store reopen(Store store) throws Exception {
    store.close();
    return Store.openOpenSearch(config(node, index, "tester@test"));
  }
}
