package dev.helix.compress;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prose (docs, notes, chat): sentences ranked by how many query words they hold, then headings,
 * then the lead sentence of each paragraph, then earlier before later; shown in their order.
 */
final class ProseCompressor implements Compressor {
  /**
   * A sentence ends at . ! ? followed by white space, at a blank line, or before a list item or a
   * heading; a single line break inside a paragraph (wrapped text) does not end it.
   */
  private static final Pattern SENTENCE_END = Pattern.compile(
      "(?<=[.!?][\"')\\]]?)[ \\t]*\\n?[ \\t]*(?=\\S)(?<=\\s)|\\n[ \\t]*\\n\\s*|\\n(?=[ \\t]*([-*+] |\\d+[.)] |#))");
  private static final Pattern HEADING = Pattern.compile("^\\s*(#{1,6} |=+$|-+$|[A-Z][^.!?]{0,80}:$)");

  private final Packer packer;

  ProseCompressor(Packer packer) {
    this.packer = packer;
  }

  @Override
  public Packed compress(String text, int budget, Query query) {
    return packer.pack(units(text, query), budget, "sentences");
  }

  List<Unit> units(String text, Query query) {
    List<String> sentences = sentences(text);
    List<Unit> units = new ArrayList<>(sentences.size());
    boolean paragraphStart = true;
    int n = sentences.size();
    for (int i = 0; i < n; i++) {
      String sentence = sentences.get(i);
      String trimmed = sentence.strip();
      double priority;
      int match = query.score(sentence);
      if (match > 0) {
        priority = query.priority(match);
      } else if (Signals.isError(trimmed)) {
        priority = Signals.ERROR;
      } else if (HEADING.matcher(trimmed).find()) {
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

  private static List<String> rawSentences(String text) {
    List<String> sentences = new ArrayList<>();
    Matcher end = SENTENCE_END.matcher(text);
    int start = 0;
    while (end.find()) {
      if (end.end() > start && !text.substring(start, end.start()).isBlank()) {
        sentences.add(text.substring(start, end.end()));
        start = end.end();
      }
    }
    if (start < text.length()) {
      if (sentences.isEmpty() || !text.substring(start).isBlank()) {
        sentences.add(text.substring(start));
      } else {
        int last = sentences.size() - 1;
        sentences.set(last, sentences.get(last) + text.substring(start));
      }
    }
    return sentences;
  }
}
