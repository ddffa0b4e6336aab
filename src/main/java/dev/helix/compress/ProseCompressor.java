package dev.helix.compress;

import dev.helix.text.Strip;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Prose (docs, notes, chat): sentences ranked by how many query words they hold, then headings,
 * then the lead sentence of each paragraph, then earlier before later; shown in their order.
 */
final class ProseCompressor implements Compressor {
  private static final Pattern HEADING =
      Pattern.compile("^\\s*(#{1,6} |=+$|-+$|[A-Z][^.!?]{0,80}:$)");

  private final Packer packer;

  ProseCompressor(Packer packer) {
    this.packer = packer;
  }

  @Override
  public Packed compress(String text, int budget, Query query) {
    return packer.pack(units(text, query), budget, "sentences");
  }

  /**
   * A unit's text with what is found once for it: its query score, and whether it holds an error
   * hint at all (most sentences do not, and then no error check runs on them or on their lines).
   */
  private record Sentence(String text, int score, boolean hinted) {
    static Sentence of(String text, Query query) {
      return new Sentence(text, query.score(text), ErrorSignals.hasHint(text));
    }
  }

  List<Unit> units(String text, Query query) {
    List<Sentence> sentences = new ArrayList<>();
    for (String raw : sentences(text)) {
      Sentence sentence = Sentence.of(raw, query);
      // A line pasted into a wrapped paragraph (an error, a log line) has no full stop of its own
      // before it; when it is an error or matches the query, it becomes its own unit, so it can
      // be kept whole without the sentence around it. Neither a query word nor an error hint
      // crosses a line break, so a sentence with neither has no such line.
      int newline = raw.indexOf('\n');
      List<String> lines =
          newline >= 0 && newline < raw.length() - 1 && (sentence.score() > 0 || sentence.hinted())
              ? Lines.split(raw)
              : null;
      if (lines != null && hasLineWorthKeeping(lines, query)) {
        for (String line : lines) {
          sentences.add(Sentence.of(line, query));
        }
      } else {
        sentences.add(sentence);
      }
    }
    List<Unit> units = new ArrayList<>(sentences.size());
    boolean paragraphStart = true;
    int n = sentences.size();
    for (int i = 0; i < n; i++) {
      String sentence = sentences.get(i).text();
      double priority;
      int match = sentences.get(i).score();
      double error = sentences.get(i).hinted() ? Signals.errorPriority(sentence.strip()) : 0;
      if (match > 0) {
        priority = query.priority(match);
      } else if (error > 0) {
        priority = error;
      } else if (isHeading(sentence)) {
        priority = Signals.HEADER;
      } else if (paragraphStart) {
        priority = Signals.STRUCTURE - 1000.0 * i / n; // lead sentences, earlier first
      } else {
        priority = Signals.ORDINARY - 500.0 * i / n;
      }
      units.add(new Unit(sentence, priority));
      paragraphStart = sentence.endsWith("\n");
    }
    return units;
  }

  /**
   * {@link #HEADING} on the stripped sentence, tried only when it can match: ends in ':', '=' or
   * '-', or has a '#'.
   */
  private static boolean isHeading(String sentence) {
    int end = Strip.end(sentence, 0, sentence.length());
    if (end == 0) {
      return false;
    }
    char last = sentence.charAt(end - 1);
    return (last == ':' || last == '=' || last == '-' || sentence.indexOf('#') >= 0)
        && HEADING.matcher(sentence.strip()).find();
  }

  private static boolean hasLineWorthKeeping(List<String> lines, Query query) {
    for (String line : lines) {
      if (query.score(line) > 0
          || ErrorSignals.of(line).compareTo(ErrorSignals.Strength.STATED) >= 0) {
        return true;
      }
    }
    return false;
  }

  /**
   * Sentences with their trailing white space, so joining them gives the text back. A "sentence"
   * longer than {@link #MAX_SENTENCE} characters that spans lines (a listing pasted into prose) is
   * split into its lines, so that one line in it can be kept on its own.
   */
  static List<String> sentences(String text) {
    List<String> sentences = new ArrayList<>();
    for (String sentence : rawSentences(text)) {
      if (sentence.length() > MAX_SENTENCE && sentence.indexOf('\n') >= 0) {
        sentences.addAll(Lines.split(sentence));
      } else {
        sentences.add(sentence);
      }
    }
    return sentences;
  }

  /** Longer than any ordinary sentence (a long one runs to 300-400 characters). */
  private static final int MAX_SENTENCE = 1000;

  /**
   * Splits after . ! or ? (and a closing quote or bracket) followed by white space with at most one
   * line break, at blank lines, and before list items and headings; a single line break inside a
   * paragraph (wrapped text) does not end a sentence. A hand-written scan: the equivalent regular
   * expression cost a third of compressing a licence text.
   */
  private static List<String> rawSentences(String text) {
    List<String> sentences = new ArrayList<>();
    int n = text.length();
    int start = 0;
    int i = 0;
    while (i < n) {
      char c = text.charAt(i);
      int boundary = -1;
      if (c == '.' || c == '!' || c == '?') {
        int j = i + 1;
        if (j < n && "\"')]".indexOf(text.charAt(j)) >= 0) {
          j++;
        }
        int k = skipBlanks(text, j);
        if (k < n && text.charAt(k) == '\n') {
          k = skipBlanks(text, k + 1);
          if (k < n && text.charAt(k) == '\n') {
            k = Strip.start(text, k, text.length());
          }
        }
        if (k > j) {
          boundary = k;
        }
      } else if (c == '\n') {
        int k = skipBlanks(text, i + 1);
        if (k < n && text.charAt(k) == '\n') {
          boundary = Strip.start(text, k, text.length());
        } else if (startsListOrHeading(text, k)) {
          boundary = i + 1;
        }
      }
      if (boundary > i && Strip.start(text, start, i) < i) {
        sentences.add(text.substring(start, boundary));
        start = boundary;
        i = boundary;
      } else {
        i++;
      }
    }
    if (start < n) {
      if (sentences.isEmpty() || !text.substring(start).isBlank()) {
        sentences.add(text.substring(start));
      } else {
        int last = sentences.size() - 1;
        sentences.set(last, sentences.get(last) + text.substring(start));
      }
    }
    return sentences;
  }

  private static int skipBlanks(String text, int i) {
    while (i < text.length()
        && (text.charAt(i) == ' ' || text.charAt(i) == '\t' || text.charAt(i) == '\r')) {
      i++;
    }
    return i;
  }

  /**
   * A list item ({@code - }, {@code * }, {@code + }, {@code 1. }, {@code 1) }) or a {@code #}
   * heading.
   */
  private static boolean startsListOrHeading(String text, int k) {
    if (k >= text.length()) {
      return false;
    }
    char c = text.charAt(k);
    if (c == '#') {
      return true;
    }
    if ((c == '-' || c == '*' || c == '+') && k + 1 < text.length() && text.charAt(k + 1) == ' ') {
      return true;
    }
    int d = k;
    while (d < text.length() && Character.isDigit(text.charAt(d))) {
      d++;
    }
    return d > k
        && d + 1 < text.length()
        && (text.charAt(d) == '.' || text.charAt(d) == ')')
        && text.charAt(d + 1) == ' ';
  }
}
