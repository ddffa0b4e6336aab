package dev.helix.compress;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.CharTypes;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helix.text.Cut;
import dev.helix.text.Json;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * JSON: long arrays keep their first and last items, the items with error or failure fields, the
 * items with anomalous values and the items that match the query, plus an even sample of the rest
 * as space allows; a note in the array says how many items were dropped and what shape they had.
 * Long strings are cut and huge objects lose their ordinary keys the same way. The output stays
 * valid JSON (notes are string elements, or a {@code "…"} key in objects).
 *
 * <p>It tries ever more aggressive {@link Level}s and keeps the least aggressive that fits; when
 * even the last one, the document's outline, is too big, no valid JSON fits and it throws {@link
 * TargetTooSmallException} with the target that works. Text that does not parse is packed as lines.
 */
final class JsonCompressor implements Compressor {
  /**
   * The reduction levels, least aggressive first. {@code sample}: ordinary array items kept; {@code
   * important}: most important items kept per array; {@code maxString}: characters kept of a
   * string; {@code maxKeys}: keys kept of an object with more (the first {@code maxKeys - 1} and
   * the last, or at 1 the first), besides its important ones; {@code ends}: an array's first and
   * last items always kept (when false, only while the important items leave room under {@code
   * important}: at the tightest budgets an error or a query match matters more than the array's
   * ends). Level 0 only re-renders compactly. At {@code important} 0 nothing is kept for what it
   * says: no item, key or string is spared as an error or a query match, and arrays lose their
   * schema note; the last level is the document's outline, the top container one note (issue 20: at
   * small targets the lines of a rendering were packed like a log, and the braces no longer
   * matched).
   */
  record Level(int sample, int important, int maxString, int maxKeys, boolean ends) {
    /** Whether errors and query matches are still kept at this level. */
    boolean keepsImportant() {
      return important > 0;
    }
  }

  static final List<Level> LEVELS =
      List.of(
          new Level(
              Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, true),
          new Level(100, Integer.MAX_VALUE, 2000, 200, true),
          new Level(50, Integer.MAX_VALUE, 1000, 100, true),
          new Level(20, Integer.MAX_VALUE, 500, 50, true),
          new Level(10, 100, 300, 30, true),
          new Level(5, 50, 200, 20, true),
          new Level(2, 20, 120, 12, true),
          new Level(0, 10, 80, 8, true),
          new Level(0, 5, 60, 6, true),
          new Level(0, 3, 40, 4, true),
          new Level(0, 3, 40, 4, false),
          new Level(0, 2, 40, 4, false),
          new Level(0, 1, 40, 4, false),
          new Level(0, 1, 20, 2, false),
          new Level(0, 0, 20, 2, false),
          new Level(0, 0, 20, 1, false),
          new Level(0, 0, 16, 0, false));

  /** Containers whose compact form is at most this long stay on one line. */
  private static final int INLINE_LIMIT = 160;

  private final ObjectMapper mapper = Json.mapper();
  private final Tokens tokens;
  private final LogCompressor lines;

  JsonCompressor(Tokens tokens, Packer packer) {
    this.tokens = tokens;
    this.lines = new LogCompressor(packer);
  }

  /** The parsed document, or null when {@code text} is not JSON. */
  @Nullable JsonNode parse(String text) {
    try {
      JsonNode node = mapper.readTree(text);
      return node == null || node.isMissingNode() ? null : node;
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  @Override
  public Packed compress(String text, int budget, Query query) {
    return compress(text, parse(text), budget, query);
  }

  /** As {@link #compress(String, int, Query)}, with the text already parsed (null: not JSON). */
  Packed compress(String text, @Nullable JsonNode root, int budget, Query query) {
    if (root == null) {
      // Not JSON after all (or cut off): treat it as lines, which still keeps errors and matches.
      return lines.compress(text, budget, query);
    }
    Analysis plans = Analysis.empty();
    // The levels share most of their lines: each distinct line is counted once.
    LineCounts counts = new LineCounts(tokens);
    int lo = 0;
    int hi = LEVELS.size() - 1;
    Packed best = null;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      // A rendering with more pieces (runs of letters, digits, punctuation) than the budget cannot
      // fit: known without encoding it, and without writing more of it once that many are written
      // (the wide levels of a large document are many times the budget).
      Packed rendered = render(root, LEVELS.get(mid), query, plans, budget);
      int count = rendered == null ? -1 : counts.countWithin(rendered.text(), budget);
      if (count >= 0) {
        best = new Packed(rendered.text(), rendered.omitted(), count);
        hi = mid - 1;
      } else {
        lo = mid + 1;
      }
    }
    if (best != null) {
      return best;
    }
    // Not even the outline fits: no valid JSON does. Lines packed like a log would fit, but they
    // are not JSON, which is what the reader was promised; the caller says which target works.
    Packed outline =
        Objects.requireNonNull(
            render(root, LEVELS.get(LEVELS.size() - 1), query, plans, Integer.MAX_VALUE));
    throw new TargetTooSmallException(budget, tokens.count(outline.text()));
  }

  /**
   * The document at one level, and how many items and keys its notes say were left out; null as
   * soon as it has more than {@code maxPieces} pieces that are each at least a token ({@link
   * TokenFloor}).
   */
  @Nullable Packed render(JsonNode root, Level level, Query query, Analysis plans, int maxPieces) {
    StringBuilder out = new StringBuilder();
    Writer writer = new Writer(level, query, plans, maxPieces);
    writer.write(root, 0, out);
    writer.measure(out);
    return writer.floor.finish() > maxPieces ? null : new Packed(out.toString(), writer.omitted);
  }

  /** One rendering pass at one level. */
  private static final class Writer {
    private final Level level;
    private final Query query;
    private final Analysis plans;

    /** Items and keys left out by the multi-line rendering (inline attempts are not counted). */
    int omitted;

    private final IdentityHashMap<JsonNode, List<Entry>> entries = new IdentityHashMap<>();
    private final int maxPieces;

    /** {@link Packer#minimumTokens} of the output up to {@link #measured}. */
    final TokenFloor floor = new TokenFloor();

    private int measured;

    /** Set once the output has more than {@link #maxPieces} pieces: the rest is not written. */
    boolean over;

    Writer(Level level, Query query, Analysis plans, int maxPieces) {
      this.level = level;
      this.query = query;
      this.plans = plans;
      this.maxPieces = maxPieces;
    }

    /**
     * Counts the pieces written since the last call. Called only between the entries of a
     * multi-line container, never while an inline try may still take back what it wrote.
     */
    void measure(StringBuilder out) {
      floor.add(out, measured, out.length());
      measured = out.length();
      over = floor.soFar() > maxPieces;
    }

    void write(JsonNode node, int depth, StringBuilder out) {
      if (!node.isContainerNode()) {
        scalar(node, out);
        return;
      }
      if (over) {
        return;
      }
      int mark = out.length();
      int omittedBefore = omitted;
      if (compact(node, out, mark + INLINE_LIMIT)) {
        return;
      }
      out.setLength(mark);
      omitted = omittedBefore;
      List<Entry> entries = entries(node);
      for (Entry entry : entries) {
        omitted += entry.dropped();
      }
      boolean object = node.isObject();
      out.append(object ? '{' : '[');
      for (int i = 0; i < entries.size(); i++) {
        out.append('\n');
        indent(depth + 1, out);
        Entry entry = entries.get(i);
        if (entry.key() != null) {
          quote(entry.key(), out);
          out.append(": ");
        }
        if (entry.value() != null) {
          write(entry.value(), depth + 1, out);
        } else {
          quote(entry.note(), out);
        }
        if (i < entries.size() - 1) {
          out.append(',');
        }
        measure(out);
        if (over) {
          return;
        }
      }
      out.append('\n');
      indent(depth, out);
      out.append(object ? '}' : ']');
    }

    /** Writes {@code node} on one line; false as soon as the line would pass {@code limit}. */
    boolean compact(JsonNode node, StringBuilder out, int limit) {
      if (!node.isContainerNode()) {
        scalar(node, out);
        return out.length() <= limit;
      }
      boolean object = node.isObject();
      out.append(object ? '{' : '[');
      List<Entry> entries = entries(node);
      for (int i = 0; i < entries.size(); i++) {
        omitted += entries.get(i).dropped();
        if (i > 0) {
          out.append(", ");
        }
        Entry entry = entries.get(i);
        if (entry.key() != null) {
          quote(entry.key(), out);
          out.append(": ");
        }
        if (entry.value() != null) {
          if (!compact(entry.value(), out, limit)) {
            return false;
          }
        } else {
          quote(entry.note(), out);
        }
        if (out.length() > limit) {
          return false;
        }
      }
      out.append(object ? '}' : ']');
      return out.length() <= limit;
    }

    /**
     * A container's entries at this level; kept, since the inline try and the full write both ask.
     */
    List<Entry> entries(JsonNode node) {
      List<Entry> known = entries.get(node);
      if (known != null) {
        return known;
      }
      List<Entry> made =
          node.isArray()
              ? plans
                  .arrays()
                  .computeIfAbsent(node, n -> JsonArrays.analyse(n, query, plans.scores()))
                  .entries(node, level)
              : JsonArrays.objectEntries(
                  node,
                  level,
                  object ->
                      plans
                          .keys()
                          .computeIfAbsent(
                              object, o -> JsonArrays.importantKeys(o, query, plans.scores())));
      entries.put(node, made);
      return made;
    }

    private void scalar(JsonNode node, StringBuilder out) {
      if (node.isTextual()) {
        String text = node.textValue();
        if (text.length() > level.maxString()
            && (!level.keepsImportant()
                || query.score(text) == 0 && !Signals.isStrictError(text))) {
          String head = Cut.head(text, level.maxString());
          text = head + "…[+" + (text.length() - head.length()) + " chars]";
        }
        quote(text, out);
      } else {
        out.append(node.toString());
      }
    }
  }

  static void quote(String text, StringBuilder out) {
    out.append('"');
    if (needsEscape(text)) {
      JsonStringEncoder.getInstance().quoteAsString(text, out);
    } else {
      out.append(
          text); // in one copy: Jackson appends a char at a time, a sixth of rendering a document
    }
    out.append('"');
  }

  /**
   * Jackson's escapes: which ASCII characters {@link JsonStringEncoder} does not write as they are.
   */
  private static final int[] ESCAPES = CharTypes.get7BitOutputEscapes();

  /** Whether Jackson would escape any character of {@code text} (others it writes as they are). */
  private static boolean needsEscape(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < ESCAPES.length && ESCAPES[c] != 0) {
        return true;
      }
    }
    return false;
  }

  private static void indent(int depth, StringBuilder out) {
    // In runs of up to BLANKS.length() at a time: one space at a time was a tenth of rendering a
    // deep tree.
    for (int left = depth; left > 0; left -= BLANKS.length()) {
      out.append(BLANKS, 0, Math.min(left, BLANKS.length()));
    }
  }

  private static final String BLANKS = " ".repeat(32);

  /**
   * What one compression learns about the document once and reuses at every level: each array's
   * plan, each large object's important keys, and each container's best query score (an array
   * nested in an array's items is scored with them, and again on its own).
   */
  record Analysis(
      Map<JsonNode, JsonArrays.Plan> arrays,
      Map<JsonNode, boolean[]> keys,
      Map<JsonNode, Integer> scores) {
    static Analysis empty() {
      return new Analysis(
          new IdentityHashMap<>(), new IdentityHashMap<>(), new IdentityHashMap<>());
    }
  }

  /** A key (null in arrays) with either a value or an omission note. */
  record Entry(@Nullable String key, @Nullable JsonNode value, @Nullable String note, int dropped) {
    static Entry of(@Nullable String key, JsonNode value) {
      return new Entry(key, value, null, 0);
    }

    /** A note standing for {@code dropped} items or keys (0 for the schema note). */
    static Entry note(@Nullable String key, String note, int dropped) {
      return new Entry(key, null, note, dropped);
    }
  }
}
