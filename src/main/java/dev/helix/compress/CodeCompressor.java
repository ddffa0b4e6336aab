package dev.helix.compress;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Source code: the outline (package, types, member signatures, fields) first, and the bodies of the
 * declarations that match the query; other bodies are dropped first. Brace languages are read by
 * brace depth, Python by indentation.
 */
final class CodeCompressor implements Compressor {
  /** An opening brace on a line like these starts a type body, whose members are outline. */
  private static final Pattern TYPE_DECLARATION = Pattern.compile(
      "\\b(class|interface|enum|record|struct|trait|impl|namespace|module|object|union|extension|protocol)\\b"
          + "|^\\s*(extern \"C\"|package )");
  // The three line patterns below are matched with lookingAt(): anchored at the line start.
  private static final Pattern PYTHON_DECLARATION =
      Pattern.compile("(\\s*)(async\\s+def|def|class)\\s+(\\w+)");
  private static final Pattern IMPORT = Pattern.compile(
      "\\s*(import |from \\S+ import |#include|using |use |require\\(|package |const \\w+ = require)");
  private static final Pattern COMMENT = Pattern.compile("\\s*(//|/\\*|\\*|#(?!include)|--|\"\"\"|''')");

  private final Packer packer;

  CodeCompressor(Packer packer) {
    this.packer = packer;
  }

  @Override
  public Packed compress(String text, int budget, Query query) {
    List<String> lines = Lines.split(text);
    return packer.pack(looksLikePython(lines) ? python(lines, query) : braces(lines, query), budget, "lines");
  }

  private static boolean looksLikePython(List<String> lines) {
    int defs = 0;
    int braces = 0;
    for (String line : lines) {
      if ((line.contains("def ") || line.contains("class ")) && line.stripTrailing().endsWith(":")
          && PYTHON_DECLARATION.matcher(line).lookingAt()) {
        defs++;
      }
      if (line.stripTrailing().endsWith("{")) {
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
    boolean inBlockComment = false;
    StringBuilder statement = new StringBuilder();
    for (String raw : lines) {
      String line = Lines.strip(raw);
      String code = codeOnly(line, inBlockComment);
      inBlockComment = endsInBlockComment(line, inBlockComment);
      boolean inBody = codeDepth > 0;
      String trimmed = line.strip();
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
        priority = trimmed.equals("}") || trimmed.equals("};") ? Signals.EDGE : Signals.ORDINARY;
      } else if (trimmed.isEmpty()) {
        priority = Signals.DUPLICATE;
      } else if (IMPORT.matcher(line).lookingAt()) {
        priority = line.startsWith("package ") ? Signals.HEADER : Signals.EDGE + 1;
      } else if (code.isBlank() || COMMENT.matcher(line).lookingAt()) {
        priority = Signals.ORDINARY + 100;
      } else {
        priority = Signals.HEADER - 1;
      }
      // Walk the braces of this line to learn what the next line is inside. The statement text
      // since the last ; { or } tells a type body from a code body, even when it spans lines.
      int statementStart = 0;
      for (int k = 0; k < code.length(); k++) {
        char c = code.charAt(k);
        if (c == '{') {
          statement.append(code, statementStart, k);
          statementStart = k + 1;
          boolean body = codeDepth > 0 || !TYPE_DECLARATION.matcher(statement).find();
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
      statement.append(code, statementStart, code.length()).append(' ');
      units.add(new Unit(raw, priority));
    }
    return units;
  }

  /** The line without string literals and comments, so braces inside them are not counted. */
  private static String codeOnly(String line, boolean inBlockComment) {
    StringBuilder out = new StringBuilder(line.length());
    boolean comment = inBlockComment;
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      char next = i + 1 < line.length() ? line.charAt(i + 1) : 0;
      if (comment) {
        if (c == '*' && next == '/') {
          comment = false;
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
        comment = true;
        i++;
      } else if (c == '"' || c == '\'' || c == '`') {
        quote = c;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static boolean endsInBlockComment(String line, boolean inBlockComment) {
    boolean comment = inBlockComment;
    for (int i = 0; i + 1 < line.length(); i++) {
      if (!comment && line.charAt(i) == '/' && line.charAt(i + 1) == '/') {
        return false;
      }
      if (!comment && line.charAt(i) == '/' && line.charAt(i + 1) == '*') {
        comment = true;
        i++;
      } else if (comment && line.charAt(i) == '*' && line.charAt(i + 1) == '/') {
        comment = false;
        i++;
      }
    }
    return comment;
  }

  /** Python: def/class lines and decorators are outline; the lines indented under a def are body. */
  List<Unit> python(List<String> lines, Query query) {
    List<Unit> units = new ArrayList<>(lines.size());
    int bodyIndent = -1; // indentation of the def whose body we are in
    double bodyPriority = 0;
    for (String raw : lines) {
      String line = Lines.strip(raw);
      int indent = indentation(line);
      boolean blank = line.isBlank();
      if (!blank && bodyIndent >= 0 && indent <= bodyIndent) {
        bodyIndent = -1;
        bodyPriority = 0;
      }
      var declaration = PYTHON_DECLARATION.matcher(line);
      boolean isDeclaration = declaration.lookingAt();
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
      } else if (IMPORT.matcher(line).lookingAt()) {
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

  private static int indentation(String line) {
    int i = 0;
    while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
      i++;
    }
    return i;
  }
}
