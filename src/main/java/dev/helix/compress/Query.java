package dev.helix.compress;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The words of a query, lower-cased, without stop words: a line "matches" when it contains one of
 * them; the more distinct words (or the whole phrase) it contains, the higher it ranks.
 */
record Query(String phrase, List<String> terms) {
  /** Words too common to say anything about a line (a short English list is enough here). */
  private static final Set<String> STOP_WORDS =
      Set.of(
          "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "how", "in", "is", "it",
          "of", "on", "or", "that", "the", "this", "to", "was", "what", "when", "where", "which",
          "who", "why", "with", "does", "do", "did", "i", "me", "my", "we", "you");

  static final Query NONE = new Query("", List.of());

  /** What separates words: compiled once, not on every query as String.split would. */
  private static final Pattern NOT_WORD = Pattern.compile("[^\\p{L}\\p{N}_$.\\-]+");

  Query {
    terms = List.copyOf(terms);
  }

  static Query of(@Nullable String text) {
    if (text == null || text.isBlank()) {
      return NONE;
    }
    String phrase = text.strip().toLowerCase(Locale.ROOT);
    List<String> terms = new ArrayList<>();
    for (String word : NOT_WORD.split(phrase)) {
      String term = stripPunctuation(word);
      if (term.length() >= 2 && !STOP_WORDS.contains(term) && !terms.contains(term)) {
        terms.add(term);
      }
    }
    if (terms.isEmpty() && phrase.length() >= 2) {
      terms.add(phrase);
    }
    return new Query(phrase, terms);
  }

  private static String stripPunctuation(String word) {
    int start = 0;
    int end = word.length();
    while (start < end && ".-".indexOf(word.charAt(start)) >= 0) {
      start++;
    }
    while (end > start && ".-".indexOf(word.charAt(end - 1)) >= 0) {
      end--;
    }
    return word.substring(start, end);
  }

  boolean isEmpty() {
    return terms.isEmpty();
  }

  /**
   * How well {@code text} matches: 0 = not at all, else the number of distinct terms found, plus
   * {@link #PHRASE_BONUS} when the whole query appears as written.
   */
  int score(String text) {
    if (terms.isEmpty() || text.isEmpty()) {
      return 0;
    }
    // Matched in place, without a lower-cased copy of every line (the copies cost more than the
    // search).
    int score = 0;
    for (String term : terms) {
      if (containsIgnoreCase(text, term)) {
        score++;
      }
    }
    if (score > 0 && terms.size() > 1 && containsIgnoreCase(text, phrase)) {
      score += PHRASE_BONUS;
    }
    return score;
  }

  /**
   * Whether {@code text} contains {@code lower} (lower-cased) in any case, as {@code
   * text.toLowerCase(Locale.ROOT).contains(lower)} says for all but the few characters whose lower
   * case is longer than themselves.
   */
  static boolean containsIgnoreCase(String text, String lower) {
    int m = lower.length();
    if (m == 0) {
      return true;
    }
    char first = lower.charAt(0);
    char firstUpper = Character.toUpperCase(first);
    int last = text.length() - m;
    if (first < 128 && first != 'i' && first != 'k') {
      // Only the ASCII letter itself, in either case, lower-cases to it (not so for i and k, which
      // İ and the Kelvin sign lower-case to): candidates are found with indexOf, which is
      // vectorised.
      int lowerAt = text.indexOf(first);
      int upperAt = firstUpper == first ? -1 : text.indexOf(firstUpper);
      while (lowerAt >= 0 || upperAt >= 0) {
        boolean isLower = upperAt < 0 || lowerAt >= 0 && lowerAt < upperAt;
        int i = isLower ? lowerAt : upperAt;
        if (i > last) {
          return false;
        }
        if (text.regionMatches(true, i + 1, lower, 1, m - 1)) {
          return true;
        }
        if (isLower) {
          lowerAt = text.indexOf(first, i + 1);
        } else {
          upperAt = text.indexOf(firstUpper, i + 1);
        }
      }
      return false;
    }
    for (int i = 0; i <= last; i++) {
      char c = text.charAt(i);
      if ((c == first || c == firstUpper || c >= 128 && Character.toLowerCase(c) == first)
          && text.regionMatches(true, i + 1, lower, 1, m - 1)) {
        return true;
      }
    }
    return false;
  }

  /** {@link #score} of a text its caller has already lower-cased. */
  int scoreLower(String lower) {
    if (terms.isEmpty() || lower.isEmpty()) {
      return 0;
    }
    int score = 0;
    for (String term : terms) {
      if (lower.contains(term)) {
        score++;
      }
    }
    if (score > 0 && terms.size() > 1 && lower.contains(phrase)) {
      score += PHRASE_BONUS;
    }
    return score;
  }

  /**
   * The packing priority of a line with this {@link #score}: a full match (every word, or the
   * phrase) ranks above everything; a partial one below error lines but above stack frames, so a
   * common word of the query cannot crowd the errors out.
   */
  double priority(int score) {
    return score >= terms.size() ? Signals.QUERY + score : Signals.PARTIAL_QUERY + score;
  }

  /** A whole-phrase match outranks any number of scattered words. */
  static final int PHRASE_BONUS = 100;
}
