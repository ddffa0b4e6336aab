package dev.helix.context;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Doc-sentence questions for bench/store's quality suite, made by a fixed rule before any tuning:
 * the first sentence of a doc comment (Javadoc or JSDoc right above a declaration, a Python
 * docstring right below one, a Markdown section's first paragraph or a page's front-matter
 * description), markup removed, the documented name (and its words run together) removed. The
 * answer is the file holding the comment. Sentences under six words, and sentences found in more
 * than one file, are dropped; a seeded sample is kept.
 */
final class DocSentences {
  /**
   * A doc comment followed by the name of what it documents (class, interface, function, method,
   * const).
   */
  private static final Pattern SLASH_STAR =
      Pattern.compile(
          "/\\*\\*((?:(?!\\*/).)*?)\\*/\\s*(?:@[\\w.]+(?:\\([^)]*\\))?\\s*)*"
              + "(?:(?:public|protected|private|export|default|declare|static|final|abstract|sealed|non-sealed|async|readonly|synchronized|native)\\s+)*"
              + "(?:(?:class|interface|enum|record|@interface|function\\*?|const|let|var|type|namespace)\\s+(\\w+)"
              + "|(?:<[^>]*>\\s*)?[\\w<>\\[\\],.? ]+?\\s+(\\w+)\\s*\\(|(\\w+)\\s*[(<])",
          Pattern.DOTALL);

  private static final Pattern DOCSTRING =
      Pattern.compile(
          "^[ \\t]*(?:async\\s+)?(?:def|class)\\s+(\\w+)[^\\n]*:[ \\t]*\\n[ \\t]*[rRuU]?(\"\"\"|''')(.*?)\\2",
          Pattern.DOTALL | Pattern.MULTILINE);
  private static final Pattern FRONT_MATTER =
      Pattern.compile("\\A---\\n(.*?)\\n---\\n", Pattern.DOTALL);
  private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.+)$", Pattern.MULTILINE);
  private static final int MIN_WORDS = 6;

  record Question(String text, String answer) {}

  private DocSentences() {}

  /** Up to {@code max} questions from the files of {@code corpus} (answers are absolute paths). */
  static List<Question> of(Path corpus, List<Path> files, int max) throws IOException {
    List<Question> all = new ArrayList<>();
    for (Path p : files) {
      String name = p.getFileName().toString();
      String text;
      try {
        text = Files.readString(p);
      } catch (java.nio.charset.MalformedInputException e) {
        continue;
      }
      if (name.endsWith(".java")
          || name.endsWith(".ts")
          || name.endsWith(".js")
          || name.endsWith(".tsx")) {
        Matcher m = SLASH_STAR.matcher(text);
        while (m.find()) {
          String documented =
              m.group(2) != null ? m.group(2) : m.group(3) != null ? m.group(3) : m.group(4);
          add(all, p, firstSentence(javadoc(m.group(1))), documented);
        }
      } else if (name.endsWith(".py")) {
        Matcher m = DOCSTRING.matcher(text);
        while (m.find()) {
          add(all, p, firstSentence(m.group(3).replaceAll("\\s+", " ").strip()), m.group(1));
        }
      } else if (name.endsWith(".md")) {
        markdown(all, p, text);
      }
    }
    // A sentence written in several files (an inherited or copied comment) has no single answer.
    Map<String, Set<String>> filesOf = new HashMap<>();
    for (Question q : all) {
      filesOf
          .computeIfAbsent(
              q.text().toLowerCase(java.util.Locale.ROOT), k -> new java.util.HashSet<>())
          .add(q.answer());
    }
    List<Question> unique = new ArrayList<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (Question q : all) {
      String key = q.text().toLowerCase(java.util.Locale.ROOT);
      if (filesOf.get(key).size() == 1 && seen.add(key)) {
        unique.add(q);
      }
    }
    Collections.shuffle(unique, new Random(7));
    return List.copyOf(unique.subList(0, Math.min(max, unique.size())));
  }

  private static void markdown(List<Question> out, Path p, String text) {
    String body = text;
    Matcher fm = FRONT_MATTER.matcher(text);
    if (fm.find()) {
      String title = field(fm.group(1), "title");
      String description = field(fm.group(1), "description");
      if (description != null) {
        add(out, p, firstSentence(description), title);
      }
      body = text.substring(fm.end());
    }
    Matcher h = HEADING.matcher(body);
    List<int[]> spans = new ArrayList<>();
    List<String> names = new ArrayList<>();
    while (h.find()) {
      spans.add(new int[] {h.end(), body.length()});
      names.add(h.group(1).replace("`", "").strip());
      if (spans.size() > 1) {
        spans.get(spans.size() - 2)[1] = h.start();
      }
    }
    for (int i = 0; i < spans.size(); i++) {
      String section = body.substring(spans.get(i)[0], spans.get(i)[1]);
      String paragraph = firstParagraph(section);
      if (paragraph != null) {
        add(out, p, firstSentence(paragraph), names.get(i));
      }
    }
  }

  /** The first paragraph of prose: no list item, table, code fence, HTML or heading. */
  private static String firstParagraph(String section) {
    StringBuilder para = new StringBuilder();
    boolean fence = false;
    for (String line : section.split("\n")) {
      String t = line.strip();
      if (t.startsWith("```")) {
        fence = !fence;
        continue;
      }
      if (fence) {
        continue;
      }
      if (t.isEmpty()) {
        if (!para.isEmpty()) {
          break;
        }
        continue;
      }
      if (t.startsWith("*")
          || t.startsWith("-")
          || t.startsWith("|")
          || t.startsWith("<")
          || t.startsWith("#")
          || t.startsWith(">")
          || Character.isDigit(t.charAt(0))) {
        if (!para.isEmpty()) {
          break;
        }
        continue;
      }
      para.append(' ').append(t);
    }
    return para.isEmpty()
        ? null
        : para.toString().replaceAll("\\[([^]]*)]\\([^)]*\\)", "$1").replace("`", "").strip();
  }

  private static String field(String frontMatter, String key) {
    for (String line : frontMatter.split("\n")) {
      if (line.startsWith(key + ":")) {
        return line.substring(key.length() + 1).strip().replaceAll("^[\"']|[\"']$", "");
      }
    }
    return null;
  }

  private static String javadoc(String comment) {
    return comment
        .replaceAll("(?m)^\\s*\\*\\s?", " ")
        .replaceAll("\\{@(?:code|link|linkplain|literal)\\s+([^}]*)}", "$1")
        .replaceAll("<[^>]+>", " ")
        .replaceAll("\\s+", " ")
        .strip();
  }

  private static String firstSentence(String doc) {
    int end = doc.indexOf(". ");
    return (end > 0 ? doc.substring(0, end) : doc).strip();
  }

  private static void add(List<Question> out, Path file, String sentence, String documented) {
    if (sentence.isEmpty() || sentence.startsWith("@") || sentence.startsWith("{@")) {
      return;
    }
    String s = sentence;
    if (documented != null && !documented.isBlank()) {
      s = s.replace(documented, " ");
      // The name's words run together or apart ("ImmutableList" also as "immutable list").
      String words = documented.replaceAll("([a-z0-9])([A-Z])", "$1 $2").replace('_', ' ');
      s =
          Pattern.compile(Pattern.quote(words), Pattern.CASE_INSENSITIVE)
              .matcher(s)
              .replaceAll(" ");
    }
    s = s.replaceAll("\\s+", " ").strip();
    if (s.split(" ").length < MIN_WORDS) {
      return;
    }
    out.add(new Question(s, file.toString()));
  }
}
