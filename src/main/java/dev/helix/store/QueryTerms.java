package dev.helix.store;

import java.io.IOException;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/**
 * A query's distinct index terms ({@link Store#terms}), for both backends. Analyzers for queries
 * are pooled, each used by one thread at a time (see CodeAnalyzer.forQueries).
 */
final class QueryTerms {
  /** Idle query analyzers kept: each holds up to CodeAnalyzer.QUERY_WORDS cached words (~2 MB). */
  private static final int MAX_IDLE_QUERY_ANALYZERS = 16;

  private final Deque<CodeAnalyzer> queryAnalyzers = new ConcurrentLinkedDeque<>();

  List<String> terms(String text) {
    Set<String> out = new LinkedHashSet<>();
    CodeAnalyzer analyzer = queryAnalyzers.pollFirst();
    if (analyzer == null) {
      analyzer = CodeAnalyzer.forQueries();
    }
    try (TokenStream ts = analyzer.tokenStream(Fields.CONTENT, text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      ts.reset();
      while (ts.incrementToken()) {
        out.add(term.toString());
      }
      ts.end();
    } catch (IOException e) {
      throw new IllegalStateException("analysing an in-memory string failed: " + e.getMessage(), e);
    } finally {
      // Kept only up to the concurrency queries usually see; beyond it, their word caches are
      // dropped.
      if (queryAnalyzers.size() < MAX_IDLE_QUERY_ANALYZERS) {
        queryAnalyzers.offerFirst(analyzer);
      }
    }
    return List.copyOf(out);
  }
}
