package dev.helix.context;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What ingest leaves out under one root, for a path at a time (a watcher's events): {@code .git},
 * the store's own folder, and whatever the ignore files from the root down exclude. Each folder's
 * rules are read once and kept until {@link #forget()}. Not thread-safe.
 */
public final class IgnoreTree {
  private final Path root;
  private final @Nullable Path storeDir;

  /** A folder's rules, or null when the folder itself is left out. */
  private final Map<Path, @Nullable IgnoreRules> rulesByDir = new HashMap<>();

  public IgnoreTree(Path root, @Nullable Path storeDir) {
    this.root = root;
    this.storeDir = storeDir;
  }

  /**
   * Whether ingest leaves {@code path} (a folder when {@code dir}) out; a path outside the root is.
   */
  public boolean excluded(Path path, boolean dir) throws IOException {
    if (path.equals(root)) {
      return false;
    }
    if (!path.startsWith(root) || path.getParent() == null) {
      return true;
    }
    IgnoreRules rules = rulesIn(path.getParent());
    return rules == null || excludedBy(rules, path, dir);
  }

  /** The rules in force inside {@code dir}, or null when dir is left out. */
  @Nullable IgnoreRules rulesIn(Path dir) throws IOException {
    if (rulesByDir.containsKey(dir)) {
      return rulesByDir.get(dir);
    }
    IgnoreRules rules;
    if (dir.equals(root)) {
      rules = IgnoreRules.none().enter(root);
    } else if (!dir.startsWith(root) || dir.getParent() == null) {
      rules = null;
    } else {
      IgnoreRules parent = rulesIn(dir.getParent());
      rules = parent == null || excludedBy(parent, dir, true) ? null : parent.enter(dir);
    }
    rulesByDir.put(dir, rules);
    return rules;
  }

  /** Drops every folder's rules: an ignore file changed. */
  public void forget() {
    rulesByDir.clear();
  }

  /** Whether {@code path} is an ignore file, whose change changes what is left out. */
  public static boolean isIgnoreFile(Path path) {
    return path.getFileName() != null && IgnoreRules.FILES.contains(path.getFileName().toString());
  }

  private boolean excludedBy(IgnoreRules rules, Path path, boolean dir) {
    if (dir && (path.getFileName().toString().equals(".git") || path.equals(storeDir))) {
      return true;
    }
    return rules.ignored(path, dir);
  }
}
