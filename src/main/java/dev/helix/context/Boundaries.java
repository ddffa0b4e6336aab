package dev.helix.context;

import dev.helix.text.Strip;
import java.util.List;

/**
 * How good a place each line is to start a new chunk: {@link #STRONG} (a top-level declaration, a
 * heading), {@link #MEMBER} (a member declaration), {@link #PARAGRAPH} (after a blank line), {@link
 * #LINE} (anywhere else). Line 0 is never a boundary: a chunk starts there anyway.
 */
final class Boundaries {
  static final int LINE = 0;
  static final int PARAGRAPH = 1;
  static final int MEMBER = 2;
  static final int STRONG = 3;

  private Boundaries() {}

  /**
   * Brace languages: a line starts a declaration when the braces before it are balanced to depth 0
   * (top level) or 1 (members), the line before ended a statement or block (or was blank), and it
   * does not close a block. Comments and annotations above a declaration start the chunk, so a
   * method keeps its Javadoc. Braces in strings and comments are skipped.
   */
  static int[] braces(List<String> lines) {
    int[] strength = new int[lines.size()];
    int depth = 0;
    boolean inBlockComment = false;
    // The previous line and the bounds of its stripped text (no strip(): ingest runs this on every
    // line).
    String prev = "";
    int prevFrom = 0;
    int prevTo = 0;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      int from = Strip.start(line, 0, line.length());
      int to = Strip.end(line, from, line.length());
      if (i > 0
          && from < to
          && line.charAt(from) != '}'
          && line.charAt(from) != ')'
          && !inBlockComment) {
        boolean blank = prevFrom == prevTo;
        char last = blank ? 0 : prev.charAt(prevTo - 1);
        // The previous statement or block ended; a comment end or an annotation instead belongs
        // to this line's declaration, and a line comment continues its own run.
        boolean ended = blank || last == '}' || last == ';' || last == '{';
        boolean attached =
            !blank
                && (prev.charAt(prevFrom) == '@'
                    || prev.startsWith("//", prevFrom)
                    || (last == '/' && prevTo - prevFrom >= 2 && prev.charAt(prevTo - 2) == '*'));
        if (ended && !attached) {
          strength[i] = depth == 0 ? STRONG : depth == 1 ? MEMBER : blank ? PARAGRAPH : LINE;
        } else if (blank) {
          strength[i] = PARAGRAPH;
        }
      }
      // Update the depth with this line's braces.
      boolean inString = false;
      char quote = 0;
      for (int c = 0; c < line.length(); c++) {
        char ch = line.charAt(c);
        char next = c + 1 < line.length() ? line.charAt(c + 1) : 0;
        if (inBlockComment) {
          if (ch == '*' && next == '/') {
            inBlockComment = false;
            c++;
          }
        } else if (inString) {
          if (ch == '\\') {
            c++;
          } else if (ch == quote) {
            inString = false;
          }
        } else if (ch == '/' && next == '/') {
          break;
        } else if (ch == '/' && next == '*') {
          inBlockComment = true;
          c++;
        } else if (ch == '"' || ch == '\'' || ch == '`') {
          inString = true;
          quote = ch;
        } else if (ch == '{') {
          depth++;
        } else if (ch == '}') {
          depth = Math.max(0, depth - 1);
        }
      }
      prev = line;
      prevFrom = from;
      prevTo = to;
    }
    return strength;
  }

  /**
   * Indent languages (Python, YAML, shell): a non-blank line at indent 0 after a blank line or a
   * dedent.
   */
  static int[] indent(List<String> lines) {
    int[] strength = new int[lines.size()];
    int prevIndent = 0;
    boolean prevBlank = false;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        prevBlank = true;
        continue;
      }
      int indent = indentOf(line);
      String t = line.strip();
      boolean decl =
          t.startsWith("def ")
              || t.startsWith("class ")
              || t.startsWith("async def ")
              || t.startsWith("@")
              || t.startsWith("function ");
      if (i > 0) {
        if (indent == 0 && (prevBlank || prevIndent > 0 || decl)) {
          strength[i] = STRONG;
        } else if (decl && indent <= 4) {
          strength[i] = MEMBER;
        } else if (prevBlank) {
          strength[i] = PARAGRAPH;
        }
      }
      prevIndent = indent;
      prevBlank = false;
    }
    return strength;
  }

  /** Markdown: headings are strong (outside fenced code), paragraphs after blank lines. */
  static int[] markdown(List<String> lines) {
    int[] strength = new int[lines.size()];
    boolean fenced = false;
    boolean prevBlank = false;
    for (int i = 0; i < lines.size(); i++) {
      String t = lines.get(i).strip();
      if (t.startsWith("```") || t.startsWith("~~~")) {
        if (!fenced && i > 0 && prevBlank) {
          strength[i] = PARAGRAPH;
        }
        fenced = !fenced;
        prevBlank = false;
        continue;
      }
      if (i > 0 && !fenced && !t.isEmpty()) {
        if (t.startsWith("#")) {
          strength[i] = STRONG;
        } else if (prevBlank) {
          strength[i] = PARAGRAPH;
        }
      }
      prevBlank = t.isEmpty();
    }
    return strength;
  }

  /** Prose: paragraphs (a non-blank line after a blank one). */
  static int[] prose(List<String> lines) {
    int[] strength = new int[lines.size()];
    for (int i = 1; i < lines.size(); i++) {
      if (!lines.get(i).isBlank() && lines.get(i - 1).isBlank()) {
        strength[i] = STRONG;
      }
    }
    return strength;
  }

  private static int indentOf(String line) {
    int n = 0;
    while (n < line.length() && (line.charAt(n) == ' ' || line.charAt(n) == '\t')) {
      n += line.charAt(n) == '\t' ? 4 : 1;
      if (n > line.length()) {
        break;
      }
    }
    return n;
  }
}
