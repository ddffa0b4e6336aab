package dev.helix.context;

import dev.helix.text.Cut;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The words of a chunk worth embedding. A file's first chunk usually opens with a licence header, a
 * package line and imports, which say nothing of what the file does and would fill the whole
 * embedded head; they are dropped, and comment markers and doc tags are stripped so the doc comment
 * and the signature that follow reach the model.
 */
final class ChunkHead {
  /** Inline doc tags whose argument is the text: code, link, linkplain, literal and value. */
  private static final Pattern DOC_TAG =
      Pattern.compile("\\{@(?:code|link|linkplain|literal|value)\\s+([^}]*)}");

  /** Short HTML tags of doc comments ({@code <p>}, {@code </code>}). */
  private static final Pattern HTML_TAG = Pattern.compile("</?[a-zA-Z][a-zA-Z0-9]{0,9}\\s*/?>");

  private ChunkHead() {}

  /** At most {@code maxChars} characters of {@code text}'s meaningful lines, joined by spaces. */
  static String of(String text, int maxChars) {
    StringBuilder out = new StringBuilder(Math.min(text.length(), maxChars + 80));
    StringBuilder comment = null;
    int at = 0;
    while (at < text.length() && out.length() < maxChars) {
      int nl = text.indexOf('\n', at);
      int end = nl < 0 ? text.length() : nl;
      String line = text.substring(at, end).strip();
      at = end + 1;
      if (comment == null && line.startsWith("/*")) {
        comment = new StringBuilder();
        line = line.substring(2);
      }
      if (comment != null) {
        int close = line.indexOf("*/");
        comment.append(' ').append(close >= 0 ? line.substring(0, close) : line);
        if (close >= 0) {
          appendComment(comment, out);
          comment = null;
          append(line.substring(close + 2), out);
        }
      } else if (line.startsWith("package ") || line.startsWith("import ")) {
        // Says where the file sits, not what it does; the path is embedded already.
      } else if (line.startsWith("//")) {
        append(line.substring(2), out);
      } else {
        append(line, out);
      }
    }
    if (comment != null) {
      appendComment(comment, out);
    }
    return Cut.head(out.toString().strip(), maxChars);
  }

  /**
   * A file name as words: its extension dropped, split at camel case, underscores, dashes and dots.
   */
  static String words(String fileName) {
    int dot = fileName.lastIndexOf('.');
    String name = dot > 0 ? fileName.substring(0, dot) : fileName;
    StringBuilder out = new StringBuilder(name.length() + 8);
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean wordStart =
          i > 0
              && Character.isUpperCase(c)
              && (Character.isLowerCase(name.charAt(i - 1))
                  || Character.isDigit(name.charAt(i - 1))
                  || i + 1 < name.length()
                      && Character.isLowerCase(name.charAt(i + 1))
                      && Character.isUpperCase(name.charAt(i - 1)));
      if (c == '_' || c == '-' || c == '.') {
        c = ' ';
      } else if (wordStart && out.charAt(out.length() - 1) != ' ') {
        out.append(' ');
      }
      out.append(c);
    }
    return out.toString().strip();
  }

  /** A block comment's words, unless it is a licence or copyright header. */
  private static void appendComment(StringBuilder comment, StringBuilder out) {
    String text = comment.toString();
    String lower = text.toLowerCase(Locale.ROOT);
    if (lower.contains("copyright") || lower.contains("license") || lower.contains("licence")) {
      return;
    }
    String cleaned = text.replace("*", " ");
    cleaned = DOC_TAG.matcher(cleaned).replaceAll("$1");
    append(HTML_TAG.matcher(cleaned).replaceAll(" "), out);
  }

  /** Appends {@code text} with its runs of whitespace collapsed to one space. */
  private static void append(String text, StringBuilder out) {
    boolean space = out.isEmpty() || out.charAt(out.length() - 1) == ' ';
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        if (!space) {
          out.append(' ');
          space = true;
        }
      } else {
        out.append(c);
        space = false;
      }
    }
    if (!space) {
      out.append(' ');
    }
  }
}
