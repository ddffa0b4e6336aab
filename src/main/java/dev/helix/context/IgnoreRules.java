package dev.helix.context;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The {@code .gitignore} and {@code .helixignore} rules in force in one folder: its own files'
 * patterns on top of its parent's, the last matching pattern winning, as git does. Supports
 * negation ({@code !}), folder-only patterns (trailing {@code /}), anchoring (a {@code /} inside),
 * {@code *}, {@code ?}, {@code [...]} and {@code **}. Immutable.
 */
public final class IgnoreRules {
  /** The files whose lines are rules. */
  public static final List<String> FILES = List.of(".gitignore", ".helixignore");

  private record Rule(Path base, Pattern pattern, boolean negated, boolean dirOnly) {}

  private final @Nullable IgnoreRules parent;
  private final List<Rule> rules;

  private IgnoreRules(@Nullable IgnoreRules parent, List<Rule> rules) {
    this.parent = parent;
    this.rules = List.copyOf(rules);
  }

  /** No rules at all. */
  public static IgnoreRules none() {
    return new IgnoreRules(null, List.of());
  }

  /** The rules in force inside {@code dir}: the parent's plus those of dir's ignore files. */
  public IgnoreRules enter(Path dir) throws IOException {
    List<Rule> own = new ArrayList<>();
    for (String name : FILES) {
      Path file = dir.resolve(name);
      if (Files.isRegularFile(file)) {
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
          Rule r = parse(dir, line);
          if (r != null) {
            own.add(r);
          }
        }
      }
    }
    return own.isEmpty() ? this : new IgnoreRules(this, own);
  }

  /** Rules given as lines, based at {@code dir} (for tests and posted lists). */
  static IgnoreRules of(Path dir, List<String> lines) {
    List<Rule> rules = new ArrayList<>();
    for (String line : lines) {
      Rule r = parse(dir, line);
      if (r != null) {
        rules.add(r);
      }
    }
    return new IgnoreRules(null, rules);
  }

  /** Whether {@code path} (a file, or a folder when {@code dir}) is ignored. */
  public boolean ignored(Path path, boolean dir) {
    Boolean verdict = decide(path, dir);
    return verdict != null && verdict;
  }

  private @Nullable Boolean decide(Path path, boolean dir) {
    for (int i = rules.size() - 1; i >= 0; i--) {
      Rule r = rules.get(i);
      if (r.dirOnly() && !dir) {
        continue;
      }
      if (!path.startsWith(r.base())) {
        continue;
      }
      String rel = r.base().relativize(path).toString().replace('\\', '/');
      if (r.pattern().matcher(rel).matches()) {
        return !r.negated();
      }
    }
    return parent == null ? null : parent.decide(path, dir);
  }

  static @Nullable Rule parse(Path base, String raw) {
    String line = raw;
    // Trailing spaces are ignored unless escaped with a backslash.
    while (line.endsWith(" ") && !line.endsWith("\\ ")) {
      line = line.substring(0, line.length() - 1);
    }
    if (line.isEmpty() || line.startsWith("#")) {
      return null;
    }
    boolean negated = false;
    if (line.startsWith("!")) {
      negated = true;
      line = line.substring(1);
    } else if (line.startsWith("\\!") || line.startsWith("\\#")) {
      line = line.substring(1);
    }
    boolean dirOnly = line.endsWith("/");
    if (dirOnly) {
      line = line.substring(0, line.length() - 1);
    }
    if (line.isEmpty()) {
      return null;
    }
    boolean anchored = line.contains("/");
    if (line.startsWith("/")) {
      line = line.substring(1);
    }
    String regex = (anchored ? "" : "(?:.*/)?") + glob(line);
    return new Rule(base, Pattern.compile(regex), negated, dirOnly);
  }

  private static String glob(String g) {
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < g.length(); i++) {
      char c = g.charAt(i);
      if (c == '*') {
        boolean dbl = i + 1 < g.length() && g.charAt(i + 1) == '*';
        if (dbl) {
          boolean slashAfter = i + 2 < g.length() && g.charAt(i + 2) == '/';
          if (slashAfter) {
            re.append("(?:.*/)?");
            i += 2;
          } else {
            re.append(".*");
            i += 1;
          }
        } else {
          re.append("[^/]*");
        }
      } else if (c == '?') {
        re.append("[^/]");
      } else if (c == '[') {
        int close = g.indexOf(']', i + 1);
        if (close < 0) {
          re.append("\\[");
        } else {
          String cls = g.substring(i + 1, close);
          if (cls.startsWith("!")) {
            cls = "^" + cls.substring(1);
          }
          re.append('[').append(cls.replace("\\", "\\\\")).append(']');
          i = close;
        }
      } else if (c == '\\' && i + 1 < g.length()) {
        re.append(Pattern.quote(String.valueOf(g.charAt(++i))));
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return re.toString();
  }
}
