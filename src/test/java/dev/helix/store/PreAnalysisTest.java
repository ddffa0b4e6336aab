package dev.helix.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.core.WhitespaceTokenizer;
import org.apache.lucene.analysis.pattern.PatternCaptureGroupTokenFilter;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.junit.jupiter.api.Test;

class PreAnalysisTest {
  /**
   * The index analyzer OpenSearchLayout defines, built from the same Lucene classes OpenSearch
   * uses.
   */
  private static final Analyzer PREANALYSED =
      new Analyzer() {
        @Override
        protected TokenStreamComponents createComponents(String field) {
          Tokenizer words =
              new WhitespaceTokenizer(WhitespaceTokenizer.DEFAULT_TOKEN_ATTRIBUTE_FACTORY, 65_536);
          return new TokenStreamComponents(
              words, new PatternCaptureGroupTokenFilter(words, false, Pattern.compile("([^|]+)")));
        }
      };

  /** Each term with its position, as the index sees it. */
  private static List<String> positioned(Analyzer analyzer, String text) throws IOException {
    List<String> out = new ArrayList<>();
    try (TokenStream ts = analyzer.tokenStream("content", text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      PositionIncrementAttribute inc = ts.addAttribute(PositionIncrementAttribute.class);
      ts.reset();
      int position = -1;
      while (ts.incrementToken()) {
        // Gaps (stop words) do not count in a field's length; only whether a term stacks does.
        position += inc.getPositionIncrement() > 0 ? 1 : 0;
        out.add(position + ":" + term);
      }
      ts.end();
    }
    return out;
  }

  @Test
  void theIndexRebuildsHelixsTermsOnTheirPositionsFromThePreAnalysedText() throws IOException {
    PreAnalysis pre = new PreAnalysis();
    String text =
        "public final class LoadingCache<K, V> { long max_file_bytes = 2097152L; // evicts the HTTPServer2's entries\n"
            + "Notes: the quick brown foxes jumped over getHTTPResponseCode() and parseJsonArray.";

    assertThat(positioned(PREANALYSED, pre.indexed(text)))
        .isEqualTo(positioned(new CodeAnalyzer(), text));
    assertThat(pre.indexed("loadingCache")).contains("|");
    pre.close();
  }

  @Test
  void textWithoutTermsGivesNothingToIndex() {
    assertThat(new PreAnalysis().indexed("the of and ; {} ()")).isEmpty();
  }
}
