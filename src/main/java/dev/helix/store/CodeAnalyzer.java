package dev.helix.store;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.core.FlattenGraphFilter;
import org.apache.lucene.analysis.core.LowerCaseFilter;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.en.KStemFilter;
import org.apache.lucene.analysis.miscellaneous.WordDelimiterGraphFilter;
import org.apache.lucene.analysis.util.CharTokenizer;

/**
 * Code-aware analysis: a token is a run of letters, digits, {@code _} and {@code $}, kept whole
 * ({@code loadingcache}, {@code max_file_bytes}) and also split on camelCase, snake_case and digit
 * boundaries ({@code loading}, {@code cache}); then lower-cased, English stop words dropped and
 * gently stemmed (KStem), so prose questions meet identifiers half-way.
 */
final class CodeAnalyzer extends Analyzer {
  private static final int FLAGS = WordDelimiterGraphFilter.PRESERVE_ORIGINAL
      | WordDelimiterGraphFilter.GENERATE_WORD_PARTS
      | WordDelimiterGraphFilter.GENERATE_NUMBER_PARTS
      | WordDelimiterGraphFilter.SPLIT_ON_CASE_CHANGE
      | WordDelimiterGraphFilter.SPLIT_ON_NUMERICS
      | WordDelimiterGraphFilter.STEM_ENGLISH_POSSESSIVE;

  private final boolean forIndex;

  /** {@code forIndex}: flatten the token graph, which the index needs and a query does not. */
  CodeAnalyzer(boolean forIndex) {
    this.forIndex = forIndex;
  }

  @Override
  protected TokenStreamComponents createComponents(String fieldName) {
    Tokenizer source = CharTokenizer.fromTokenCharPredicate(
        c -> Character.isLetterOrDigit(c) || c == '_' || c == '$');
    TokenStream stream = new WordDelimiterGraphFilter(source, FLAGS, null);
    if (forIndex) {
      stream = new FlattenGraphFilter(stream);
    }
    stream = new LowerCaseFilter(stream);
    stream = new StopFilter(stream, EnglishAnalyzer.ENGLISH_STOP_WORDS_SET);
    stream = new KStemFilter(stream);
    return new TokenStreamComponents(source, stream);
  }
}
