package dev.helix.store;

import java.io.IOException;
import java.util.List;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;

/**
 * helix's code-aware analysis for a store that does not run it itself (OpenSearch): text becomes
 * the terms {@link CodeAnalyzer} gives, written so that a cluster's plain analysis rebuilds them
 * exactly (docs/opensearch.md). Each position is one whitespace-separated word; the terms stacked
 * on one position are joined by {@link #STACK}, and the index splits them back onto that position.
 * So every term keeps its frequency and a field keeps its length as BM25 counts it (overlapping
 * terms are not counted), and both stores score a chunk alike.
 */
final class PreAnalysis {
  /**
   * Joins the terms of one position; CodeAnalyzer's terms never hold it (letters, digits, _ and $
   * only).
   */
  static final char STACK = '|';

  private final CodeAnalyzer indexing = new CodeAnalyzer();
  private final QueryTerms queryTerms = new QueryTerms();

  /**
   * The pre-analysed form of {@code text}, for a field whose index analysis is {@code
   * helix_preanalysed}.
   */
  String indexed(String text) {
    StringBuilder out = new StringBuilder(text.length());
    try (TokenStream ts = indexing.tokenStream(Fields.CONTENT, text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      PositionIncrementAttribute posInc = ts.addAttribute(PositionIncrementAttribute.class);
      ts.reset();
      while (ts.incrementToken()) {
        if (out.isEmpty()) {
          // Nothing to stack on yet.
        } else if (posInc.getPositionIncrement() > 0) {
          out.append(' ');
        } else {
          out.append(STACK);
        }
        out.append(term);
      }
      ts.end();
    } catch (IOException e) {
      throw new IllegalStateException("analysing an in-memory string failed: " + e.getMessage(), e);
    }
    return out.toString();
  }

  /** The distinct query terms of {@code text}, as {@link Store#terms} gives them. */
  List<String> terms(String text) {
    return queryTerms.terms(text);
  }

  /** Releases the indexing analyzer's per-thread state. */
  void close() {
    indexing.close();
  }
}
