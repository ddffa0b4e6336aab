package dev.helix.compress;

import dev.helix.text.Strip;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Source code: the outline (package, types, member signatures, fields) first, and the bodies of the
 * declarations that match the query; other bodies are dropped first. Brace languages are read by
 * brace depth, Python by indentation.
 */
final class CodeCompressor implements Compressor {
  /**
   * A word like these in the statement before an opening brace makes it a type body, whose members
   * are outline. Looked up word by word: the equivalent regular expression, run on every statement,
   * cost a tenth of compressing a large Java file.
   */
  private static final Set<String> TYPE_WORDS =
      Set.of(
          "class",
          "interface",
          "enum",
          "record",
          "struct",
          "trait",
          "impl",
          "namespace",
          "module",
          "object",
          "union",
          "extension",
          "protocol");

  // Matched with lookingAt(), anchored at the line start; only tried on lines with "def " or "class
  // ".
  private static final Pattern PYTHON_DECLARATION =
      Pattern.compile("(\\s*)(async\\s+def|def|class)\\s+(\\w+)");

  /**
   * Import-like line starts after indentation; "from x import" and "const x = require" are checked
   * apart.
   */
  private static final String[] IMPORT_STARTS = {
    "import ", "#include", "using ", "use ", "require(", "package "
  };

  /** Comment starts after indentation; "#" is one too, unless it is "#include". */
  private static final String[] COMMENT_STARTS = {"//", "/*", "*", "--", "\"\"\"", "'''"};

  private final Packer packer;

  CodeCompressor(Packer packer) {
    this.packer = packer;
  }

  @Override
  public Packed compress(String text, int budget, Query query) {
    List<String> lines = Lines.split(text);
    return packer.pack(
        looksLikePython(lines) ? python(lines, query) : braces(lines, query), budget, "lines");
  }

  private static boolean looksLikePython(List<String> lines) {
    int defs = 0;
    int braces = 0;
    for (String line : lines) {
      char last = lastNonBlank(line);
      if (last == ':'
          && (line.contains("def ") || line.contains("class "))
          && PYTHON_DECLARATION.matcher(line).lookingAt()) {
        defs++;
      }
      if (last == '{') {
        braces++;
      }
    }
    return defs > 0 && defs > braces;
  }

  /** Brace languages: each '{' opens either a type body (outline) or a code body (detail). */
  List<Unit> braces(List<String> lines, Query query) {
    List<Unit> units = new ArrayList<>(lines.size());
    List<Boolean> stack = new ArrayList<>(); // true = code body
    int codeDepth = 0;
    double bodyPriority = 0; // > 0 while inside a body that matches the query
    int bodyDepth = -1;
    StringBuilder statement = new StringBuilder();
    boolean[] comment = {false}; // in a block comment: read and updated by codeOnly
    for (String raw : lines) {
      String line = Lines.strip(raw);
      String code = codeOnly(line, comment);
      boolean inBody = codeDepth > 0;
      double priority;
      int match = query.score(line);
      if (match > 0) {
        priority = query.priority(match);
      } else if (Signals.isStrictError(line)) {
        priority = Signals.ERROR;
      } else if (inBody && bodyPriority > 0) {
        priority = bodyPriority;
        bodyPriority -= 0.01; // earlier lines of a matching body first
      } else if (inBody) {
        priority = isClosingBrace(line) ? Signals.EDGE : Signals.ORDINARY;
      } else if (line.isBlank()) {
        priority = Signals.DUPLICATE;
      } else if (isImport(line)) {
        priority = line.startsWith("package ") ? Signals.HEADER : Signals.EDGE + 1;
      } else if (code.isBlank() || isComment(line)) {
        priority = Signals.ORDINARY + 100;
      } else {
        priority = Signals.HEADER - 1;
      }
      // Walk the braces of this line to learn what the next line is inside. The statement text
      // since the last ; { or } tells a type body from a code body, even when it spans lines; it
      // is only kept outside code bodies, the only place where it is read (the '}' that leaves a
      // body clears it).
      int statementStart = 0;
      for (int k = 0; k < code.length(); k++) {
        char c = code.charAt(k);
        if (c == '{') {
          if (codeDepth == 0) {
            statement.append(code, statementStart, k);
          }
          statementStart = k + 1;
          boolean body = codeDepth > 0 || !declaresType(statement);
          statement.setLength(0);
          stack.add(body);
          if (body) {
            if (codeDepth == 0 && match > 0) {
              bodyPriority = query.priority(match) - 1;
              bodyDepth = stack.size();
            }
            codeDepth++;
          }
        } else if (c == ';' || c == '}') {
          statement.setLength(0);
          statementStart = k + 1;
        }
        if (c == '}' && !stack.isEmpty()) {
          if (stack.remove(stack.size() - 1)) {
            codeDepth--;
          }
          if (stack.size() < bodyDepth) {
            bodyPriority = 0;
            bodyDepth = -1;
          }
        }
      }
      if (codeDepth == 0) {
        statement.append(code, statementStart, code.length()).append(' ');
      }
      units.add(new Unit(raw, priority));
    }
    return units;
  }

  /**
   * The line without string literals and comments, so braces inside them are not counted. {@code
   * comment[0]} says whether the line starts inside a block comment, and is set to whether it ends
   * inside one (a comment opener inside a string literal opens nothing).
   */
  static String codeOnly(String line, boolean[] comment) {
    if (!comment[0] && noneOf(line, "\"'`/")) {
      return line; // most lines: nothing to remove, so no copy
    }
    StringBuilder out = new StringBuilder(line.length());
    boolean inComment = comment[0];
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      char next = i + 1 < line.length() ? line.charAt(i + 1) : 0;
      if (inComment) {
        if (c == '*' && next == '/') {
          inComment = false;
          i++;
        }
      } else if (quote != 0) {
        if (c == '\\') {
          i++;
        } else if (c == quote) {
          quote = 0;
        }
      } else if (c == '/' && next == '/') {
        break;
      } else if (c == '/' && next == '*') {
        inComment = true;
        i++;
      } else if (c == '"' || c == '\'' || c == '`') {
        quote = c;
      } else {
        out.append(c);
      }
    }
    comment[0] = inComment;
    return out.toString();
  }

  private static boolean noneOf(String line, String chars) {
    for (int k = 0; k < chars.length(); k++) {
      if (line.indexOf(chars.charAt(k)) >= 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether the statement before a '{' declares a type: a type word in it, or extern "C" / package
   * first.
   */
  static boolean declaresType(CharSequence statement) {
    int n = statement.length();
    int start = Chars.skipSpaces(statement, 0);
    if (startsWith(statement, start, "extern \"C\"") || startsWith(statement, start, "package ")) {
      return true;
    }
    int i = 0;
    while (i < n) {
      if (!Chars.isWordChar(statement.charAt(i))) {
        i++;
        continue;
      }
      int end = Chars.wordEnd(statement, i + 1, n);
      int length = end - i;
      if (length >= 4
          && length <= 10
          && TYPE_WORDS.contains(statement.subSequence(i, end).toString())) {
        return true;
      }
      i = end;
    }
    return false;
  }

  /**
   * An import-like line: {@code import }, {@code from x import }, {@code #include}, {@code using },
   * {@code use }, {@code require(}, {@code package } or {@code const x = require}, after
   * indentation.
   */
  static boolean isImport(String line) {
    int i = Chars.skipSpaces(line, 0);
    for (String start : IMPORT_STARTS) {
      if (line.startsWith(start, i)) {
        return true;
      }
    }
    if (line.startsWith("from ", i)) {
      int end = i + 5;
      while (end < line.length() && !Chars.isSpace(line.charAt(end))) {
        end++;
      }
      return end > i + 5 && line.startsWith(" import ", end);
    }
    if (line.startsWith("const ", i)) {
      int end = i + 6;
      while (end < line.length() && Chars.isWordChar(line.charAt(end))) {
        end++;
      }
      return end > i + 6 && line.startsWith(" = require", end);
    }
    return false;
  }

  /** A line that starts like a comment after its indentation. */
  static boolean isComment(String line) {
    int i = Chars.skipSpaces(line, 0);
    for (String start : COMMENT_STARTS) {
      if (line.startsWith(start, i)) {
        return true;
      }
    }
    return line.startsWith("#", i) && !line.startsWith("#include", i);
  }

  /** A line that holds only a closing brace ({@code }} or {@code };}) between blanks. */
  private static boolean isClosingBrace(String line) {
    int start = Chars.skipSpaces(line, 0);
    int end = Strip.end(line, start, line.length());
    return end - start == 1 && line.charAt(start) == '}'
        || end - start == 2 && line.charAt(start) == '}' && line.charAt(start + 1) == ';';
  }

  private static char lastNonBlank(String line) {
    int end = Strip.end(line, 0, line.length());
    return end == 0 ? 0 : line.charAt(end - 1);
  }

  private static boolean startsWith(CharSequence text, int at, String prefix) {
    if (at + prefix.length() > text.length()) {
      return false;
    }
    for (int k = 0; k < prefix.length(); k++) {
      if (text.charAt(at + k) != prefix.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Python: def/class lines and decorators are outline; the lines indented under a def are body.
   */
  List<Unit> python(List<String> lines, Query query) {
    List<Unit> units = new ArrayList<>(lines.size());
    int bodyIndent = -1; // indentation of the def whose body we are in
    double bodyPriority = 0;
    for (String raw : lines) {
      String line = Lines.strip(raw);
      int indent = pythonIndentation(line);
      boolean blank = line.isBlank();
      if (!blank && bodyIndent >= 0 && indent <= bodyIndent) {
        bodyIndent = -1;
        bodyPriority = 0;
      }
      // The expression only where it can match: half the cost of a Python file was trying it
      // everywhere.
      int start = Chars.skipSpaces(line, 0);
      var declaration =
          line.startsWith("def", start)
                  || line.startsWith("class", start)
                  || line.startsWith("async", start)
              ? PYTHON_DECLARATION.matcher(line)
              : null;
      boolean isDeclaration = declaration != null && declaration.lookingAt();
      int match = query.score(line);
      double priority;
      if (match > 0) {
        priority = query.priority(match);
      } else if (Signals.isStrictError(line)) {
        priority = Signals.ERROR;
      } else if (bodyIndent >= 0 && bodyPriority > 0) {
        priority = bodyPriority;
        bodyPriority -= 0.01;
      } else if (isDeclaration) {
        priority = Signals.HEADER - 1;
      } else if (bodyIndent >= 0 || blank) {
        priority = blank ? Signals.DUPLICATE : Signals.ORDINARY;
      } else if (line.strip().startsWith("@")) {
        priority = Signals.HEADER - 2;
      } else if (isImport(line)) {
        priority = Signals.EDGE + 1;
      } else {
        priority = Signals.STRUCTURE; // module-level statements and class attributes
      }
      if (isDeclaration && declaration.group(2).endsWith("def") && bodyIndent < 0) {
        bodyIndent = indent;
        bodyPriority = match > 0 ? query.priority(match) - 1 : 0;
      }
      units.add(new Unit(raw, priority));
    }
    return units;
  }

  /** Python indentation: spaces and tabs. */
  private static int pythonIndentation(String line) {
    int i = 0;
    while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
      i++;
    }
    return i;
  }
}
