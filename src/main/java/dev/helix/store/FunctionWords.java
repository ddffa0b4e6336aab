package dev.helix.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.WordlistLoader;
import org.apache.lucene.analysis.snowball.SnowballFilter;

/**
 * English function words ("which", "does", "how", "should"): the Snowball stop list that Lucene
 * ships. The index keeps them (they can be identifiers), but they say nothing about whether a store
 * can answer a question: a store of notes that never writes "which" still knows which entry its
 * cache evicts.
 */
public final class FunctionWords {
  private static final CharArraySet WORDS = load();

  private FunctionWords() {}

  /** Whether {@code term} (an index term, lower-cased) is a function word. */
  public static boolean contains(String term) {
    return WORDS.contains(term);
  }

  private static CharArraySet load() {
    try (java.io.InputStream in = SnowballFilter.class.getResourceAsStream("english_stop.txt")) {
      if (in == null) {
        throw new IOException("no english_stop.txt beside " + SnowballFilter.class.getName());
      }
      return WordlistLoader.getSnowballWordSet(
          new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Lucene's English stop list is missing from lucene-analysis-common: rebuild helix", e);
    }
  }
}
