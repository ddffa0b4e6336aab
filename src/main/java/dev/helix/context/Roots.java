package dev.helix.context;

import dev.helix.store.Store;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * How roots are named and found (docs/workspaces.md): a folder's base name, made unique with -2,
 * -3, ...
 */
final class Roots {
  private static final int MAX_NAME = 100;

  private Roots() {}

  /**
   * The roots an ingest of {@code paths} records: a path already recorded keeps its root (renamed
   * when {@code names} says so), a new one gets the name given or its folder's base name, unique.
   */
  static List<Store.Root> assign(
      List<Store.Root> existing, List<Path> paths, List<@Nullable String> names) {
    if (!names.isEmpty() && names.size() != paths.size()) {
      throw new IllegalArgumentException(
          "names has "
              + names.size()
              + " entries for "
              + paths.size()
              + " paths; give one name per path (null or missing for the folder's own name)");
    }
    List<Store.Root> out = new ArrayList<>();
    Set<String> taken = new HashSet<>();
    existing.forEach(r -> taken.add(r.name()));
    for (int i = 0; i < paths.size(); i++) {
      String path = paths.get(i).toString();
      String wanted = names.isEmpty() ? null : names.get(i);
      Store.Root same = find(existing, path);
      if (wanted != null) {
        check(wanted);
      }
      if (same != null && (wanted == null || wanted.equals(same.name()))) {
        out.add(same);
        continue;
      }
      if (wanted != null) {
        for (Store.Root r : existing) {
          if (r.name().equals(wanted) && !r.path().equals(path)) {
            throw new IllegalArgumentException(
                "the root name '"
                    + wanted
                    + "' is taken by "
                    + r.path()
                    + "; choose another name, or remove that root first (helix roots remove "
                    + wanted
                    + ")");
          }
        }
      }
      String name = wanted != null ? wanted : unique(baseName(paths.get(i)), taken);
      taken.add(name);
      out.add(new Store.Root(name, path, same == null ? 0 : same.lastSyncMillis(), null));
    }
    return out;
  }

  /** The root recorded for {@code path}, or null. */
  static Store.@Nullable Root find(List<Store.Root> roots, String path) {
    return roots.stream().filter(r -> r.path().equals(path)).findFirst().orElse(null);
  }

  /** The paths of the roots {@code names} names. */
  static List<String> paths(List<Store.Root> roots, List<String> names) {
    List<String> out = new ArrayList<>();
    for (String name : names) {
      out.add(byName(roots, name).path());
    }
    return out;
  }

  /** The root called {@code name}, or an error listing the names there are. */
  static Store.Root byName(List<Store.Root> roots, String name) {
    return roots.stream()
        .filter(r -> r.name().equals(name))
        .findFirst()
        .orElseThrow(
            () -> new UnknownRootException(name, roots.stream().map(Store.Root::name).toList()));
  }

  /** Whether {@code source} lies at or under {@code root}'s path. */
  static boolean holds(Store.Root root, String source) {
    return source.equals(root.path())
        || source.startsWith(root.path().endsWith("/") ? root.path() : root.path() + "/");
  }

  static String baseName(Path path) {
    Path name = path.getFileName();
    return name == null ? "root" : name.toString();
  }

  static String unique(String base, Set<String> taken) {
    if (!taken.contains(base)) {
      return base;
    }
    for (int n = 2; ; n++) {
      String candidate = base + "-" + n;
      if (!taken.contains(candidate)) {
        return candidate;
      }
    }
  }

  /** A name must be usable in a URL path and on a command line. */
  static void check(String name) {
    if (name.isBlank()
        || name.length() > MAX_NAME
        || name.contains("/")
        || name.contains("\\")
        || name.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException(
          "'"
              + name
              + "' cannot name a root: use 1 to "
              + MAX_NAME
              + " characters without '/', '\\' or control characters");
    }
  }
}
