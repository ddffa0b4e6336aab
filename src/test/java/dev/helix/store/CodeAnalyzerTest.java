package dev.helix.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.apache.lucene.analysis.util.CharTokenizer;
import org.junit.jupiter.api.Test;

class CodeAnalyzerTest {
  static final String CODE =
      """
      /** The HTTPServer's LoadingCache of max_file_bytes: it is a cache of the caches, utf8 and x2y. */
      public final class LruCache$Entry<K, V> extends AbstractMap implements Serializable {
        private static final int __MAX__ = 0x7fff_ffff; // the and of is it
        String parseUTF8String(byte[] b, int offset) { return new String(b, offset, b.length - offset); }
        void evictOldest() { if (size() > capacity) remove(eldest()); } // the the the
        _ $ $$ a_b_c ABCdef abcDEF v2Alpha IOException getIOExceptionCount it's
      }
      """;

  @Test
  void cachedAnalysisGivesTheSameTermsAndFieldLengthAsTheFullChain() throws IOException {
    String text = CODE.repeat(3);
    try (CodeAnalyzer analyzer = new CodeAnalyzer()) {
      // Twice: the second pass is served from the cache.
      for (int pass = 0; pass < 2; pass++) {
        List<String> cached = new ArrayList<>();
        int cachedLength = read(analyzer.tokenStream("content", text), cached);
        List<String> full = new ArrayList<>();
        Tokenizer words =
            CharTokenizer.fromTokenCharPredicate(
                c -> Character.isLetterOrDigit(c) || c == '_' || c == '$');
        words.setReader(new StringReader(text));
        int fullLength = read(CodeAnalyzer.chain(words), full);
        assertThat(cached)
            .isEqualTo(full)
            .contains("httpserver", "loadingcache", "max_file_bytes", "utf");
        assertThat(cachedLength).isEqualTo(fullLength);
      }
    }
  }

  /** Reads every term into {@code out}; returns how many advanced the position (BM25's length). */
  private static int read(TokenStream ts, List<String> out) throws IOException {
    CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
    PositionIncrementAttribute inc = ts.addAttribute(PositionIncrementAttribute.class);
    int advancing = 0;
    try (ts) {
      ts.reset();
      while (ts.incrementToken()) {
        out.add(term.toString());
        advancing += inc.getPositionIncrement() > 0 ? 1 : 0;
      }
      ts.end();
    }
    return advancing;
  }
}
