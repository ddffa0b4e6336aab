package dev.helix.context;

import java.util.Locale;
import java.util.Map;

/**
 * A file's language and content type, from its name. {@code style} picks the chunker: brace- or
 * indent-structured code, Markdown, or plain prose.
 */
record Language(String name, ContentType type, Style style) {
  enum Style {
    BRACES,
    INDENT,
    MARKDOWN,
    PROSE
  }

  private static final Map<String, Language> BY_EXTENSION =
      Map.ofEntries(
          code("java", "java"),
          code("kt", "kotlin"),
          code("kts", "kotlin"),
          code("scala", "scala"),
          code("groovy", "groovy"),
          code("js", "javascript"),
          code("mjs", "javascript"),
          code("cjs", "javascript"),
          code("jsx", "javascript"),
          code("ts", "typescript"),
          code("tsx", "typescript"),
          code("go", "go"),
          code("rs", "rust"),
          code("c", "c"),
          code("h", "c"),
          code("cc", "cpp"),
          code("cpp", "cpp"),
          code("hpp", "cpp"),
          code("cxx", "cpp"),
          code("cs", "csharp"),
          code("swift", "swift"),
          code("php", "php"),
          code("dart", "dart"),
          code("proto", "protobuf"),
          code("css", "css"),
          code("scss", "css"),
          code("json", "json"),
          code("sql", "sql"),
          Map.entry("py", new Language("python", ContentType.CODE, Style.INDENT)),
          Map.entry("rb", new Language("ruby", ContentType.CODE, Style.INDENT)),
          Map.entry("sh", new Language("shell", ContentType.CODE, Style.INDENT)),
          Map.entry("bash", new Language("shell", ContentType.CODE, Style.INDENT)),
          Map.entry("yaml", new Language("yaml", ContentType.CODE, Style.INDENT)),
          Map.entry("yml", new Language("yaml", ContentType.CODE, Style.INDENT)),
          Map.entry("toml", new Language("toml", ContentType.CODE, Style.PROSE)),
          Map.entry("xml", new Language("xml", ContentType.CODE, Style.INDENT)),
          Map.entry("html", new Language("html", ContentType.CODE, Style.INDENT)),
          Map.entry("md", new Language("markdown", ContentType.TEXT, Style.MARKDOWN)),
          Map.entry("markdown", new Language("markdown", ContentType.TEXT, Style.MARKDOWN)));

  static final Language TEXT = new Language("text", ContentType.TEXT, Style.PROSE);

  private static Map.Entry<String, Language> code(String ext, String name) {
    return Map.entry(ext, new Language(name, ContentType.CODE, Style.BRACES));
  }

  /** The language of a file name; anything unknown is plain text. */
  static Language of(String fileName) {
    int dot = fileName.lastIndexOf('.');
    if (dot < 0) {
      return TEXT;
    }
    return BY_EXTENSION.getOrDefault(fileName.substring(dot + 1).toLowerCase(Locale.ROOT), TEXT);
  }

  /** The chunking of posted content of a type. */
  static Language posted(ContentType type) {
    return switch (type) {
      case CODE -> new Language("code", ContentType.CODE, Style.BRACES);
      case TEXT -> new Language("text", ContentType.TEXT, Style.MARKDOWN);
      case CONVERSATION -> new Language("conversation", ContentType.CONVERSATION, Style.PROSE);
    };
  }
}
