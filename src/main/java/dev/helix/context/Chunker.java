package dev.helix.context;

import dev.helix.text.Cut;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Cuts a text into chunks along its structure: code at declarations (brace- or indent-aware),
 * Markdown at headings, prose at paragraphs. Each line gets a boundary strength; segments between
 * strong boundaries are packed together up to {@link #TARGET} characters, and anything over {@link
 * #MAX} is cut again at weaker boundaries, finally at line ends, never inside a line unless the
 * line itself is over the limit.
 */
final class Chunker {
  /**
   * Soft size of a chunk in characters: about one method with its doc comment, or a few paragraphs.
   * Smaller chunks rank sharper but lose context; not yet tuned on bench/store.
   */
  static final int TARGET = 1500;

  /** Hard size of a chunk (docs/store.md: at most about 4000 characters). */
  static final int MAX = 4000;

  /** A piece of a text: 1-based inclusive lines and the text of those lines. */
  record Piece(int startLine, int endLine, String text) {}

  private Chunker() {}

  /**
   * The chunk id of docs/store.md: the first 16 hex digits of SHA-256 of {@code source + "\0" +
   * content}.
   */
  static String chunkId(String source, String content) {
    return new Ids(source).of(content);
  }

  /**
   * The chunk ids of one source: its name is encoded once and one digest serves every chunk (ingest
   * makes an id for every chunk of every file).
   */
  static final class Ids {
    private static final HexFormat HEX = HexFormat.of();
    private final byte[] prefix;
    private final MessageDigest sha;

    Ids(String source) {
      byte[] name = source.getBytes(StandardCharsets.UTF_8);
      prefix = java.util.Arrays.copyOf(name, name.length + 1);
      try {
        sha = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(
            "this JVM has no SHA-256, which every Java SE has: " + e.getMessage(), e);
      }
    }

    /** The id of a chunk of this source with this content. */
    String of(String content) {
      sha.update(prefix);
      sha.update(content.getBytes(StandardCharsets.UTF_8));
      // 16 hex digits are the first 8 bytes of the digest.
      return HEX.formatHex(sha.digest(), 0, 8);
    }
  }

  static List<Piece> split(String text, Language.Style style) {
    List<String> lines = lines(text);
    if (lines.isEmpty()) {
      return List.of();
    }
    int[] strength =
        switch (style) {
          case BRACES -> Boundaries.braces(lines);
          case INDENT -> Boundaries.indent(lines);
          case MARKDOWN -> Boundaries.markdown(lines);
          case PROSE -> Boundaries.prose(lines);
        };
    List<Piece> out = new ArrayList<>();
    pack(lines, strength, 0, lines.size(), Boundaries.STRONG, out);
    return out.stream().filter(p -> !p.text().isBlank()).toList();
  }

  /**
   * Packs lines [from, to) into pieces: cut at boundaries of at least {@code level}, merge small
   * neighbours up to TARGET, and recurse with a weaker level into any segment over MAX.
   */
  private static void pack(
      List<String> lines, int[] strength, int from, int to, int level, List<Piece> out) {
    List<int[]> segments = new ArrayList<>();
    int start = from;
    for (int i = from + 1; i < to; i++) {
      if (strength[i] >= level) {
        segments.add(new int[] {start, i});
        start = i;
      }
    }
    segments.add(new int[] {start, to});
    int curStart = -1;
    int curEnd = -1;
    int curLen = 0;
    for (int[] seg : segments) {
      int len = length(lines, seg[0], seg[1]);
      if (len > MAX) {
        flush(lines, curStart, curEnd, out);
        curStart = -1;
        curLen = 0;
        if (level > Boundaries.LINE) {
          pack(lines, strength, seg[0], seg[1], level - 1, out);
        } else {
          hardCut(lines, seg[0], seg[1], out);
        }
        continue;
      }
      if (curStart >= 0 && curLen + len > TARGET) {
        flush(lines, curStart, curEnd, out);
        curStart = -1;
        curLen = 0;
      }
      if (curStart < 0) {
        curStart = seg[0];
      }
      curEnd = seg[1];
      curLen += len;
    }
    flush(lines, curStart, curEnd, out);
  }

  /** A single line over MAX: cut by characters, the only case where a cut falls inside a line. */
  private static void hardCut(List<String> lines, int from, int to, List<Piece> out) {
    for (int i = from; i < to; i++) {
      String line = lines.get(i);
      for (int at = 0; at < line.length(); ) {
        int end = Cut.boundary(line, Math.min(line.length(), at + MAX));
        out.add(new Piece(i + 1, i + 1, line.substring(at, end)));
        at = end;
      }
    }
  }

  private static void flush(List<String> lines, int start, int end, List<Piece> out) {
    if (start < 0 || end <= start) {
      return;
    }
    out.add(new Piece(start + 1, end, String.join("\n", lines.subList(start, end))));
  }

  private static int length(List<String> lines, int from, int to) {
    int n = 0;
    for (int i = from; i < to; i++) {
      n += lines.get(i).length() + 1;
    }
    return n;
  }

  /**
   * The lines of a text, without their {@code \n} or {@code \r\n}; a final line break does not
   * start another line. A scan, not a regex split: ingest calls this for every file.
   */
  static List<String> lines(String text) {
    List<String> out = new ArrayList<>();
    int start = 0;
    int n = text.length();
    for (int i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', start)) {
      int end = i > start && text.charAt(i - 1) == '\r' ? i - 1 : i;
      out.add(text.substring(start, end));
      start = i + 1;
    }
    if (start < n) {
      out.add(text.substring(start));
    }
    return out;
  }
}
