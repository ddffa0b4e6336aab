package dev.helix.context;

import dev.helix.compress.Tokens;
import dev.helix.store.Store;
import java.nio.file.Path;

/** Where the time of opening a big store goes (bench/store helper). Usage: OpenTiming STORE_DIR. */
public final class OpenTiming {
  public static void main(String[] args) throws Exception {
    long t0 = System.nanoTime();
    try (Store s = Store.openWritable(Path.of(args[0]))) {
      long t1 = System.nanoTime();
      Store.Totals t = s.totals();
      long t2 = System.nanoTime();
      new Tokens().count("warm up");
      long t3 = System.nanoTime();
      s.lexical("immutable sorted map", 25);
      long t4 = System.nanoTime();
      System.out.printf(
          "open %.0f ms, totals %.0f ms (%d chunks), tokens %.0f ms, first query %.0f ms%n",
          (t1 - t0) / 1e6, (t2 - t1) / 1e6, t.chunks(), (t3 - t2) / 1e6, (t4 - t3) / 1e6);
    }
    long t5 = System.nanoTime();
    try (Store s = Store.openReadOnly(Path.of(args[0]))) {
      s.totals();
      System.out.printf("read-only open + totals %.0f ms%n", (System.nanoTime() - t5) / 1e6);
    }
  }
}
