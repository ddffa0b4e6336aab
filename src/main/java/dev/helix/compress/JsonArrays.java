package dev.helix.compress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Which items of a JSON array (or keys of a huge object) to keep, and the notes for the rest. */
final class JsonArrays {
  /** Keys whose value is a status, lower-cased; matched whole, in any case. */
  private static final Set<String> STATUS_KEYS =
      Set.of(
          "status",
          "level",
          "severity",
          "state",
          "result",
          "outcome",
          "conclusion",
          "health",
          "loglevel",
          "log_level");

  private static final Pattern BAD_STATUS =
      Pattern.compile(
          "(?i)(error|fail|fatal|critical|crash|exception|panic|unhealthy|broken|timed? ?out|^5\\d\\d$)");

  /** Below this many items there is no "usual" value to deviate from. */
  private static final int MIN_ITEMS_FOR_ANOMALY = 8;

  /**
   * |value − mean| beyond this many standard deviations is an outlier (the common 3-sigma rule).
   */
  private static final double OUTLIER_SIGMAS = 3.0;

  /** A field is categorical when one value covers this share of the items... */
  private static final double DOMINANT_SHARE = 0.8;

  /** ...and a value is rare when at most this share of the items has it. */
  private static final double RARE_SHARE = 0.05;

  private static final int MAX_SCHEMA_KEYS = 25;

  private JsonArrays() {}

  /**
   * What is known about one array: each item's importance, the items' shape, and the important
   * items (importance above 0) most important first, ties in input order: sorted once per array,
   * not once per level.
   */
  @SuppressWarnings(
      "ArrayRecordComponent") // read-only scores made once per array; copying them costs
  record Plan(double[] importance, String schema, int[] byImportance) {
    Plan(double[] importance, String schema) {
      this(importance, schema, byImportance(importance));
    }

    private static int[] byImportance(double[] importance) {
      int count = 0;
      for (double value : importance) {
        count += value > 0 ? 1 : 0;
      }
      Integer[] order = new Integer[count];
      int next = 0;
      for (int i = 0; i < importance.length; i++) {
        if (importance[i] > 0) {
          order[next++] = i;
        }
      }
      Arrays.sort(order, (a, b) -> Double.compare(importance[b], importance[a])); // stable
      int[] out = new int[count];
      for (int i = 0; i < count; i++) {
        out[i] = order[i];
      }
      return out;
    }

    List<JsonCompressor.Entry> entries(JsonNode array, JsonCompressor.Level level) {
      int n = array.size();
      List<JsonCompressor.Entry> all = new ArrayList<>(n);
      boolean[] keep = keep(level);
      int kept = 0;
      for (boolean k : keep) {
        kept += k ? 1 : 0;
      }
      if (kept == n) {
        array.forEach(item -> all.add(JsonCompressor.Entry.of(null, item)));
        return all;
      }
      if (!schema.isEmpty() && level.keepsImportant()) {
        all.add(
            JsonCompressor.Entry.note(
                null,
                "[" + (n - kept) + " of " + n + " items omitted; items look like " + schema + "]",
                0));
      }
      int dropped = 0;
      for (int i = 0; i < n; i++) {
        if (keep[i]) {
          if (dropped > 0) {
            all.add(JsonCompressor.Entry.note(null, Packer.note(dropped, "items"), dropped));
            dropped = 0;
          }
          all.add(JsonCompressor.Entry.of(null, array.get(i)));
        } else {
          dropped++;
        }
      }
      if (dropped > 0) {
        all.add(JsonCompressor.Entry.note(null, Packer.note(dropped, "items"), dropped));
      }
      return all;
    }

    private boolean[] keep(JsonCompressor.Level level) {
      int n = importance.length;
      boolean[] keep = new boolean[n];
      if (n == 0) {
        return keep;
      }
      List<Integer> ordinary = new ArrayList<>();
      int important = 0;
      for (int i : byImportance) {
        if (important >= level.important()) {
          break;
        }
        keep[i] = true;
        important++;
      }
      if (level.ends()) {
        keep[0] = true;
        keep[n - 1] = true;
      } else {
        // Without guaranteed ends, what room the important items left goes to the first, then the
        // last.
        for (int i : new int[] {0, n - 1}) {
          if (!keep[i] && important < level.important()) {
            keep[i] = true;
            important++;
          }
        }
      }
      for (int i = 1; i < n - 1; i++) {
        if (!keep[i] && importance[i] == 0) {
          ordinary.add(i);
        }
      }
      int sample = Math.min(level.sample(), ordinary.size());
      for (int j = 0; j < sample; j++) {
        // Evenly spread over the array, so the sample shows its whole range.
        keep[ordinary.get((int) ((j + 0.5) * ordinary.size() / sample))] = true;
      }
      return keep;
    }
  }

  /** {@code scores}: {@link #score}s of containers, known and to keep, for this query. */
  static Plan analyse(JsonNode array, Query query, Map<JsonNode, Integer> scores) {
    int n = array.size();
    double[] importance = new double[n];
    boolean objects = n > 0;
    for (int i = 0; i < n; i++) {
      JsonNode item = array.get(i);
      objects &= item.isObject();
      int match = query.isEmpty() ? 0 : score(item, query, scores);
      if (match > 0) {
        importance[i] = query.priority(match);
      } else if (item.isTextual()) {
        // A log line as an array item: stated errors first, an error word in passing as a warning.
        importance[i] =
            switch (ErrorSignals.of(item.textValue())) {
              case THROWN, STATED -> Signals.ERROR;
              case MENTIONED -> Signals.WARNING;
              case NONE -> 0;
            };
      } else if (hasErrorField(item, 0)) {
        importance[i] = Signals.ERROR;
      }
    }
    if (objects) {
      markAnomalies(array, importance);
    }
    return new Plan(importance, objects ? schema(array) : "");
  }

  /**
   * The best query score of any key or scalar value in {@code node} (walked, not serialised);
   * {@code scores} holds those of the containers already walked, and gets this one's.
   */
  static int score(JsonNode node, Query query, Map<JsonNode, Integer> scores) {
    if (node.isValueNode()) {
      return query.score(node.asText());
    }
    Integer known = scores.get(node);
    if (known != null) {
      return known;
    }
    int best = 0;
    boolean nested = false;
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        best =
            Math.max(
                best,
                Math.max(query.score(field.getKey()), score(field.getValue(), query, scores)));
        nested |= field.getValue().isContainerNode();
      }
    } else {
      for (JsonNode child : node) {
        best = Math.max(best, score(child, query, scores));
        nested |= child.isContainerNode();
      }
    }
    // Only a container of containers is worth remembering: scoring one of scalars again costs less
    // than keeping it (a list of flat records would otherwise put every item in the map).
    if (nested) {
      scores.put(node, best);
    }
    return best;
  }

  /** An error or failure field with a value, a bad status, or a shouted ERROR/FATAL anywhere. */
  static boolean hasErrorField(JsonNode node, int depth) {
    if (node.isTextual()) {
      return Signals.isStrictError(node.textValue());
    }
    if (depth > 3 || !node.isContainerNode()) {
      return false;
    }
    if (node.isArray()) {
      for (JsonNode child : node) {
        if (hasErrorField(child, depth + 1)) {
          return true;
        }
      }
      return false;
    }
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      String key = field.getKey();
      JsonNode value = field.getValue();
      if (isErrorKey(key) && isPresent(value)) {
        return true;
      }
      if (value.isValueNode() && isStatusKey(key) && BAD_STATUS.matcher(value.asText()).find()) {
        return true;
      }
      if (hasErrorField(value, depth + 1)) {
        return true;
      }
    }
    return false;
  }

  /** A value that says something: not null, false, 0, "" or empty. */
  private static boolean isPresent(JsonNode value) {
    if (value.isNull() || value.isMissingNode()) {
      return false;
    }
    if (value.isBoolean()) {
      return value.booleanValue();
    }
    if (value.isNumber()) {
      return value.doubleValue() != 0;
    }
    if (value.isTextual()) {
      return !value.textValue().isBlank();
    }
    return !value.isEmpty();
  }

  /** Items with numeric outliers or rare values of an otherwise uniform field rank as warnings. */
  private static void markAnomalies(JsonNode array, double[] importance) {
    int n = array.size();
    if (n < MIN_ITEMS_FOR_ANOMALY) {
      return;
    }
    // One accumulator per key, found once per field and pass.
    Map<String, Field> fields = new HashMap<>();
    for (int i = 0; i < n; i++) {
      for (Map.Entry<String, JsonNode> entry : array.get(i).properties()) {
        JsonNode value = entry.getValue();
        if (value.isNumber()) {
          fields.computeIfAbsent(entry.getKey(), k -> new Field()).number(value.doubleValue());
        } else if (isCategory(value)) {
          fields.computeIfAbsent(entry.getKey(), k -> new Field()).vote(value.asText());
        }
      }
    }
    double share = DOMINANT_SHARE * n;
    boolean numbers = false;
    boolean mayDominate = false;
    for (Field field : fields.values()) {
      numbers |= field.numbers > 0;
      mayDominate |= field.mayDominate(share);
    }
    boolean dominant = false;
    if (mayDominate) {
      // A field has rare values only when one value covers DOMINANT_SHARE (over half) of the
      // items: that value is the vote's candidate, counted here only for the fields where it may
      // (counting every value of every field, when most fields have no such value, was a third of
      // analysing a short list).
      for (int i = 0; i < n; i++) {
        for (Map.Entry<String, JsonNode> entry : array.get(i).properties()) {
          Field field = fields.get(entry.getKey());
          JsonNode value = entry.getValue();
          if (field != null
              && field.mayDominate(share)
              && isCategory(value)
              && value.asText().equals(field.candidate)) {
            field.dominant++;
          }
        }
      }
      for (Field field : fields.values()) {
        if (field.dominant >= share) {
          field.categories = new HashMap<>();
          dominant = true;
        }
      }
    }
    if (!dominant && !numbers) {
      return;
    }
    if (dominant) {
      for (int i = 0; i < n; i++) {
        for (Map.Entry<String, JsonNode> entry : array.get(i).properties()) {
          Field field = fields.get(entry.getKey());
          JsonNode value = entry.getValue();
          if (field != null && field.categories != null && isCategory(value)) {
            field.categories.merge(value.asText(), 1, Integer::sum);
          }
        }
      }
    }
    for (int i = 0; i < n; i++) {
      if (importance[i] > 0) {
        continue;
      }
      for (Map.Entry<String, JsonNode> entry : array.get(i).properties()) {
        Field field = fields.get(entry.getKey());
        JsonNode value = entry.getValue();
        if (field != null
            && (value.isNumber() && field.isOutlier(value.doubleValue())
                || field.isRare(value, n))) {
          importance[i] = Signals.WARNING;
          break;
        }
      }
    }
  }

  /** A value counted as a category of its field: a short string or a boolean. */
  private static boolean isCategory(JsonNode value) {
    return value.isTextual() && value.textValue().length() <= 40 || value.isBoolean();
  }

  /** What the items of one array hold under one key: their numbers, and their categories. */
  private static final class Field {
    /** The count, sum and sum of squares of the numbers. */
    int numbers;

    double sum;
    double squares;

    /**
     * A majority vote over the categories (Boyer and Moore): a value held by over half is the
     * candidate.
     */
    int votes;

    @org.jspecify.annotations.Nullable String candidate;
    int lead;

    /** How many items hold the candidate (counted only when it may dominate). */
    int dominant;

    /** Each category's count, only for a field with a dominant value. */
    @org.jspecify.annotations.Nullable Map<String, Integer> categories;

    void number(double value) {
      numbers++;
      sum += value;
      squares += value * value;
    }

    void vote(String value) {
      votes++;
      if (lead == 0) {
        candidate = value;
        lead = 1;
      } else {
        lead += value.equals(candidate) ? 1 : -1;
      }
    }

    /**
     * Whether the candidate may cover {@code share} items: a value held by c of the votes leaves
     * the candidate a lead of at least 2c - votes, so a smaller lead rules it out uncounted.
     */
    boolean mayDominate(double share) {
      return candidate != null && lead >= 2 * share - votes;
    }

    boolean isOutlier(double value) {
      if (numbers < MIN_ITEMS_FOR_ANOMALY) {
        return false;
      }
      double mean = sum / numbers;
      double variance = Math.max(0, squares / numbers - mean * mean);
      double sd = Math.sqrt(variance);
      return sd > 0 && Math.abs(value - mean) > OUTLIER_SIGMAS * sd;
    }

    boolean isRare(JsonNode value, int n) {
      if (categories == null || !(value.isTextual() || value.isBoolean())) {
        return false;
      }
      Integer count = categories.get(value.asText());
      if (count == null) {
        return false;
      }
      // categories is only kept for a field whose candidate covers DOMINANT_SHARE of the items.
      return count <= Math.max(1, RARE_SHARE * n) && count < dominant;
    }
  }

  /**
   * The keys most items have, with their JSON types, e.g. {@code {id: number, tags: array, …}};
   * keys only a few items have (often the very errors kept beside it) are left to those items.
   */
  private static String schema(JsonNode array) {
    Map<String, Shape> shapes = new LinkedHashMap<>();
    for (JsonNode item : array) {
      for (Map.Entry<String, JsonNode> field : item.properties()) {
        Shape shape = shapes.get(field.getKey());
        if (shape == null && shapes.size() < MAX_SCHEMA_KEYS) {
          shape = new Shape();
          shapes.put(field.getKey(), shape);
        }
        if (shape != null) {
          shape.add(field.getValue().getNodeType());
        }
      }
    }
    StringBuilder out = new StringBuilder("{");
    boolean rare = false;
    for (Map.Entry<String, Shape> entry : shapes.entrySet()) {
      Shape shape = entry.getValue();
      if (shape.count * 2 < array.size()) {
        rare = true;
        continue;
      }
      if (out.length() > 1) {
        out.append(", ");
      }
      out.append(entry.getKey()).append(": ");
      for (int i = 0; i < shape.types; i++) {
        out.append(i > 0 ? "|" : "").append(TYPE_NAMES[shape.order[i]]);
      }
    }
    if (rare) {
      out.append(out.length() > 1 ? ", …" : "…");
    }
    return out.append('}').toString();
  }

  /** How many items have one key, and its JSON types in the order they were first seen. */
  private static final class Shape {
    int count;
    final int[] order = new int[TYPE_NAMES.length];
    int types;
    private int seen;

    void add(JsonNodeType type) {
      count++;
      int name = type(type);
      if ((seen & 1 << name) == 0) {
        seen |= 1 << name;
        order[types++] = name;
      }
    }
  }

  private static final String[] TYPE_NAMES = {
    "array", "object", "string", "number", "boolean", "null"
  };

  /** The index in {@link #TYPE_NAMES} of a node type's name. */
  private static int type(JsonNodeType type) {
    return switch (type) {
      case ARRAY -> 0;
      case OBJECT, POJO -> 1;
      case STRING, BINARY -> 2;
      case NUMBER -> 3;
      case BOOLEAN -> 4;
      case NULL, MISSING -> 5;
    };
  }

  private static boolean isStatusKey(String key) {
    // The status keys start with one of these letters: most keys are ruled out before they are
    // lower-cased (a copy for every key with a capital, such as groupId).
    return key.length() <= 10
        && !key.isEmpty()
        && "slroch".indexOf(key.charAt(0) | 0x20) >= 0
        && STATUS_KEYS.contains(key.toLowerCase(Locale.ROOT));
  }

  /**
   * Whether a key names an error, e.g. {@code error}, {@code lastException}, {@code
   * FAILURE_REASON}: whether it holds error, exception, failure, fault, fatal, traceback,
   * stacktrace or panic in any case, as {@link Query#containsIgnoreCase} finds them, in one pass
   * over the key instead of one search per word (every key of every item is asked).
   */
  static boolean isErrorKey(String key) {
    int n = key.length();
    for (int i = 0; i < n; i++) {
      // Each word's first letter in either case only, as containsIgnoreCase's fast path takes it.
      // The second letters (r, x, a, t) have no case partners beyond ASCII: compared first.
      int second = i + 1 < n ? key.charAt(i + 1) | 0x20 : 0;
      boolean found =
          switch (key.charAt(i)) {
            case 'e', 'E' ->
                second == 'r' && rest(key, i, "error")
                    || second == 'x' && rest(key, i, "exception");
            case 'f', 'F' ->
                second == 'a'
                    && (rest(key, i, "failure") || rest(key, i, "fault") || rest(key, i, "fatal"));
            case 't', 'T' -> second == 'r' && rest(key, i, "traceback");
            case 's', 'S' -> second == 't' && rest(key, i, "stacktrace");
            case 'p', 'P' -> second == 'a' && rest(key, i, "panic");
            default -> false;
          };
      if (found) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code word} after its first letter follows position {@code i}, in any case. */
  private static boolean rest(String key, int i, String word) {
    return key.regionMatches(true, i + 1, word, 1, word.length() - 1);
  }

  /**
   * Which keys of an object are kept at every level: those that match the query (in the key or the
   * value) and error keys. Computed once per object and compression, not once per level.
   */
  static boolean[] importantKeys(JsonNode object, Query query, Map<JsonNode, Integer> scores) {
    boolean[] important = new boolean[object.size()];
    int index = 0;
    for (Map.Entry<String, JsonNode> field : object.properties()) {
      String key = field.getKey();
      JsonNode value = field.getValue();
      important[index++] =
          query.score(key) > 0
              || isErrorKey(key)
              || value.isValueNode() && query.score(value.asText()) > 0
              || value.isContainerNode() && !query.isEmpty() && score(value, query, scores) > 0;
    }
    return important;
  }

  /**
   * The entries of an object, without its ordinary keys when it has more than the level allows;
   * {@code important} is {@link #importantKeys} of it, asked for only then.
   */
  static List<JsonCompressor.Entry> objectEntries(
      JsonNode object,
      JsonCompressor.Level level,
      java.util.function.Function<JsonNode, boolean[]> important) {
    int n = object.size();
    List<JsonCompressor.Entry> entries = new ArrayList<>(Math.min(n, level.maxKeys()) + 1);
    boolean[] kept =
        n <= level.maxKeys()
            ? null
            : level.keepsImportant() ? important.apply(object) : new boolean[n];
    // The first maxKeys - 1 keys and the last one; at one key, the first (an id or a name, mostly).
    int head = level.maxKeys() == 1 ? 1 : level.maxKeys() - 1;
    boolean tail = level.maxKeys() > 1;
    int index = 0;
    int dropped = 0;
    for (Map.Entry<String, JsonNode> field : object.properties()) {
      boolean keep = kept == null || index < head || tail && index == n - 1 || kept[index];
      if (keep) {
        entries.add(JsonCompressor.Entry.of(field.getKey(), field.getValue()));
      } else {
        dropped++;
      }
      index++;
    }
    if (dropped > 0) {
      entries.add(JsonCompressor.Entry.note("…", Packer.note(dropped, "keys"), dropped));
    }
    return entries;
  }
}
