package dev.helix.store;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArrayMap;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.core.KeywordTokenizer;
import org.apache.lucene.analysis.core.LowerCaseFilter;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.en.KStemFilter;
import org.apache.lucene.analysis.miscellaneous.KeywordRepeatFilter;
import org.apache.lucene.analysis.miscellaneous.RemoveDuplicatesTokenFilter;
import org.apache.lucene.analysis.miscellaneous.WordDelimiterGraphFilter;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.apache.lucene.analysis.util.CharTokenizer;
import org.jspecify.annotations.Nullable;

/**
 * Code-aware analysis: a token is a run of letters, digits, {@code _} and {@code $}, kept whole
 * ({@code loadingcache}, {@code max_file_bytes}) and also split on camelCase, snake_case and digit
 * boundaries ({@code loading}, {@code cache}); then lower-cased, English stop words dropped and
 * gently stemmed (KStem), so prose questions meet identifiers half-way.
 *
 * <p>Each word's terms depend on that word alone, and code repeats its words endlessly, so the
 * chain after the tokenizer runs once per distinct word and its terms are cached ({@link
 * WordCache}): that chain was about half of ingest's CPU (JFR on bench/store).
 */
final class CodeAnalyzer extends Analyzer {
  private static final int FLAGS =
      WordDelimiterGraphFilter.PRESERVE_ORIGINAL
          | WordDelimiterGraphFilter.GENERATE_WORD_PARTS
          | WordDelimiterGraphFilter.GENERATE_NUMBER_PARTS
          | WordDelimiterGraphFilter.SPLIT_ON_CASE_CHANGE
          | WordDelimiterGraphFilter.SPLIT_ON_NUMERICS
          | WordDelimiterGraphFilter.STEM_ENGLISH_POSSESSIVE;

  /** Words a query analyzer caches: its texts are a query and a few chunks, not a whole tree. */
  static final int QUERY_WORDS = 20_000;

  private final int maxWords;

  /** The indexing analyzer: components per thread (Lucene's default), a big word cache. */
  CodeAnalyzer() {
    this.maxWords = WordCache.MAX_WORDS;
  }

  private CodeAnalyzer(ReuseStrategy strategy, int maxWords) {
    super(strategy);
    this.maxWords = maxWords;
  }

  /**
   * An analyzer for one thread at a time that keeps its components itself. Lucene keeps them per
   * thread, and the server answers each request on a new virtual thread: every query built a fresh
   * chain and word cache (about a sixth of a chat call's CPU on an empty store, by JFR). Callers
   * pool these instead.
   */
  static CodeAnalyzer forQueries() {
    return new CodeAnalyzer(new OwnComponents(), QUERY_WORDS);
  }

  @Override
  protected TokenStreamComponents createComponents(String fieldName) {
    Tokenizer source =
        CharTokenizer.fromTokenCharPredicate(
            c -> Character.isLetterOrDigit(c) || c == '_' || c == '$');
    return new TokenStreamComponents(source, new WordCache(source, maxWords));
  }

  /** One set of components for every field (they are all analysed alike), held by the strategy. */
  private static final class OwnComponents extends ReuseStrategy {
    private @Nullable TokenStreamComponents components;

    @Override
    public @Nullable TokenStreamComponents getReusableComponents(
        Analyzer analyzer, String fieldName) {
      return components;
    }

    @Override
    public void setReusableComponents(
        Analyzer analyzer, String fieldName, TokenStreamComponents components) {
      this.components = components;
    }
  }

  /**
   * The terms of one word, through the full chain: split (whole word kept), lower-cased, stop words
   * dropped, stemmed. No FlattenGraphFilter, though Lucene suggests one at index time: it only
   * repairs positions for phrase and span queries, which helix never runs.
   */
  static TokenStream chain(Tokenizer word) {
    TokenStream stream = new WordDelimiterGraphFilter(word, FLAGS, null);
    stream = new LowerCaseFilter(stream);
    stream = new StopFilter(stream, EnglishAnalyzer.ENGLISH_STOP_WORDS_SET);
    // Each word as written and, where they differ, its stem: an exact match counts twice and a
    // mere stem match once. Stems alone cost whole-file search 7 points of recall@1 on
    // doc-sentence questions (they repeat the file's own words); no stems lost up to 3 points of
    // recall@5 on developer questions, which inflect differently (bench/store, 2026-12-07).
    return new RemoveDuplicatesTokenFilter(new KStemFilter(new KeywordRepeatFilter(stream)));
  }

  /**
   * Replaces each word by its cached terms, running {@link #chain} on a word seen for the first
   * time. A term keeps whether it advanced the position (BM25's field length counts those), which
   * depends on the word alone; exact positions do not matter to a store without phrase queries. One
   * instance per thread and field (Lucene reuses analysis components per thread).
   */
  static final class WordCache extends TokenFilter {
    /** Enough for the vocabulary of a big tree; cleared when full, so memory stays bounded. */
    private static final int MAX_WORDS = 200_000;

    private static final String[] NONE = new String[0];

    /**
     * A word's terms; a term starting with '\0' did not advance the position. Looked up by the
     * tokenizer's chars: no String per token.
     */
    private final CharArrayMap<String[]> cache;

    private final int maxWords;
    private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
    private final PositionIncrementAttribute posInc =
        addAttribute(PositionIncrementAttribute.class);
    private final KeywordTokenizer word = new KeywordTokenizer();
    private final TokenStream wordChain = chain(word);
    private final CharTermAttribute wordTerm = wordChain.addAttribute(CharTermAttribute.class);
    private final PositionIncrementAttribute wordPosInc =
        wordChain.addAttribute(PositionIncrementAttribute.class);
    private String[] pending = NONE;
    private int next;

    /** Positions of words that left no term (all stop words), carried to the next term. */
    private int skipped;

    WordCache(TokenStream input, int maxWords) {
      super(input);
      this.maxWords = maxWords;
      this.cache = new CharArrayMap<>(Math.min(4096, maxWords), false);
    }

    @Override
    public boolean incrementToken() throws IOException {
      while (next >= pending.length) {
        if (!input.incrementToken()) {
          return false;
        }
        String[] terms = cache.get(term.buffer(), 0, term.length());
        if (terms == null) {
          String w = term.toString();
          terms = analyse(w);
          if (cache.size() >= maxWords) {
            cache.clear();
          }
          cache.put(w, terms);
        }
        pending = terms;
        next = 0;
        if (terms.length == 0) {
          skipped += posInc.getPositionIncrement();
        }
      }
      String t = pending[next++];
      boolean advances = t.charAt(0) != '\0';
      clearAttributes();
      if (advances) {
        term.setEmpty().append(t);
        posInc.setPositionIncrement(1 + skipped);
        skipped = 0;
      } else {
        term.setEmpty().append(t, 1, t.length());
        posInc.setPositionIncrement(0);
      }
      return true;
    }

    private String[] analyse(String w) throws IOException {
      List<String> out = new ArrayList<>(4);
      word.setReader(new java.io.StringReader(w));
      wordChain.reset();
      while (wordChain.incrementToken()) {
        String t = wordTerm.toString();
        out.add(wordPosInc.getPositionIncrement() > 0 || out.isEmpty() ? t : "\0" + t);
      }
      wordChain.end();
      wordChain.close();
      return out.toArray(NONE);
    }

    @Override
    public void reset() throws IOException {
      super.reset();
      pending = NONE;
      next = 0;
      skipped = 0;
    }
  }
}
