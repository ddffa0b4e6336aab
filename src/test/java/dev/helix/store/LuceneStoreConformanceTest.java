package dev.helix.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The embedded Lucene store meets the store contract. */
class LuceneStoreConformanceTest extends StoreConformance {
  @TempDir Path dir;

  @Override
  Store open() throws Exception {
    return Store.openWritable(dir);
  }

  @Override
  Store reopen(Store store) throws Exception {
    store.close();
    return Store.openWritable(dir);
  }
}
