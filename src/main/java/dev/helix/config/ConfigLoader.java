package dev.helix.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/**
 * The one place that reads helix.toml and the environment. Everything else receives the immutable
 * {@link HelixConfig} it builds, with the provenance of every value.
 */
public final class ConfigLoader {
  /** A config loaded without errors, and what deserves a warning. */
  public record Loaded(HelixConfig config, List<String> warnings) {
    public Loaded {
      warnings = List.copyOf(warnings);
    }
  }

  /** Keys whose values are never shown: not in {@code helix config}, not in an error. */
  private static final Set<String> SECRETS =
      Set.of("server.token", "store.opensearch.password", "store.opensearch.api_key");

  private final Map<String, String> env;
  private final Path cwd;
  private final Path userHome;

  /**
   * @param env the process environment (tests pass their own)
   * @param cwd where {@code ./helix.toml} is looked for
   * @param userHome where {@code ~/.helix} lives
   */
  public ConfigLoader(Map<String, String> env, Path cwd, Path userHome) {
    this.env = Map.copyOf(env);
    this.cwd = Objects.requireNonNull(cwd, "cwd");
    this.userHome = Objects.requireNonNull(userHome, "userHome");
  }

  /** A loader over this process's real environment, working directory and home. */
  public static ConfigLoader ofSystem() {
    return of(System.getenv(), Path.of("").toAbsolutePath(), System.getProperty("user.home"));
  }

  /**
   * A loader whose {@code ~} is {@code $HOME} when it is set and not empty, as for every
   * command-line tool, else {@code passwdHome}: the JVM's {@code user.home} comes from the password
   * database and ignores {@code $HOME}, so a user who sets it (a sandbox, a CI job, {@code sudo
   * -E}) got a {@code ~/.helix} elsewhere than every other tool's {@code ~}.
   */
  public static ConfigLoader of(Map<String, String> env, Path cwd, String passwdHome) {
    String home = env.get("HOME");
    return new ConfigLoader(env, cwd, Path.of(home == null || home.isEmpty() ? passwdHome : home));
  }

  /** The user's home folder, where {@code ~} points. */
  public Path userHome() {
    return userHome;
  }

  /**
   * Loads the effective configuration.
   *
   * @param explicit the file given with {@code --config}, or null
   * @throws ConfigException when a named file is missing or the file has errors (all of them)
   */
  public Loaded load(@Nullable Path explicit) throws ConfigException {
    Path file = locate(explicit);
    return load(
        file,
        file == null ? null : readBytes(file),
        explicit != null ? "--config" : configFileSource());
  }

  /**
   * Loads {@code content} as if read from {@code file}; the config fuzz target calls this without
   * the disk.
   */
  Loaded load(@Nullable Path file, byte @Nullable [] content) throws ConfigException {
    return load(file, content, configFileSource());
  }

  private Loaded load(@Nullable Path file, byte @Nullable [] content, String fileSource)
      throws ConfigException {
    List<String> warnings = new ArrayList<>();
    Values values = new Values();
    if (file != null && content != null) {
      readFile(file, content, values, warnings);
    }
    applyEnvironment(values, warnings);
    return new Loaded(build(file, fileSource, values, warnings), warnings);
  }

  private @Nullable Path locate(@Nullable Path explicit) throws ConfigException {
    if (explicit != null) {
      return requireFile(cwd.resolve(explicit), "--config");
    }
    String fromEnv = env.get("HELIX_CONFIG");
    if (fromEnv != null && !fromEnv.isEmpty()) {
      return requireFile(cwd.resolve(expandHome(fromEnv)), "HELIX_CONFIG");
    }
    Path local = cwd.resolve("helix.toml");
    return Files.isRegularFile(local) ? local : null;
  }

  private static Path requireFile(Path path, String origin) throws ConfigException {
    if (!Files.isRegularFile(path)) {
      throw new ConfigException(
          List.of(
              path
                  + ": config file named by "
                  + origin
                  + " does not exist; create it, or drop "
                  + origin
                  + " to use ./helix.toml or the defaults"));
    }
    return path.toAbsolutePath().normalize();
  }

  private void readFile(Path file, byte[] content, Values values, List<String> warnings)
      throws ConfigException {
    TomlParseResult toml = Toml.parse(utf8(file, content));
    List<String> errors = new ArrayList<>();
    for (TomlParseError error : toml.errors()) {
      errors.add(at(file, error.position()) + ": " + error.getMessage());
    }
    warnUnknownKeys(file, toml, warnings);
    for (Key key : Key.ALL) {
      if (!toml.contains(key.dotted())) {
        continue;
      }
      Object raw = toml.get(key.dotted());
      TomlPosition position = toml.inputPositionOf(key.dotted());
      String where = at(file, position);
      Object value = convert(key, raw, where, errors);
      if (value != null) {
        values.set(key.dotted(), value, file + ":" + (position == null ? "?" : position.line()));
      }
    }
    if (!errors.isEmpty()) {
      throw new ConfigException(errors);
    }
  }

  private static byte[] readBytes(Path file) throws ConfigException {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new ConfigException(
          List.of(
              file
                  + ": cannot read the config file ("
                  + e.getMessage()
                  + "); check its permissions"));
    }
  }

  /**
   * The file's text. Decoded here rather than by tomlj, whose decoding error ("Input length = 1")
   * named neither the place nor the cause; TOML files are UTF-8.
   */
  private static String utf8(Path file, byte[] bytes) throws ConfigException {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      // Find the first bad byte to name its line and column.
      var decoder = StandardCharsets.UTF_8.newDecoder();
      ByteBuffer in = ByteBuffer.wrap(bytes);
      CharBuffer out = CharBuffer.allocate(bytes.length + 1);
      decoder.decode(in, out, true);
      String good = out.flip().toString();
      int line = 1 + (int) good.chars().filter(c -> c == '\n').count();
      int column = good.length() - good.lastIndexOf('\n');
      throw new ConfigException(
          List.of(
              file
                  + ":"
                  + line
                  + ":"
                  + column
                  + ": the file is not valid UTF-8 (byte 0x"
                  + String.format("%02x", bytes[in.position()] & 0xff)
                  + "); TOML files must be UTF-8, so re-save it as UTF-8"));
    }
  }

  private static String at(Path file, @Nullable TomlPosition position) {
    return position == null
        ? file.toString()
        : file + ":" + position.line() + ":" + position.column();
  }

  private static void warnUnknownKeys(Path file, TomlTable toml, List<String> warnings) {
    Set<String> sections = new TreeSet<>();
    Key.ALL.forEach(k -> sections.add(k.section()));
    for (String top : toml.keySet()) {
      Object value = toml.get(List.of(top));
      if (!(value instanceof TomlTable table) || !sections.contains(top)) {
        String suggestion = Suggestions.closest(top, sections);
        String kind = value instanceof TomlTable ? "section [" + top + "]" : "key " + top;
        warnings.add(
            at(file, toml.inputPositionOf(List.of(top)))
                + ": unknown "
                + kind
                + (suggestion == null
                    ? "; it is ignored"
                    : "; did you mean [" + suggestion + "]?"));
        continue;
      }
      warnUnknownKeys(file, table, top, sections, warnings);
    }
  }

  /**
   * Warns about the unknown keys of the section {@code top}; a known sub-section
   * ([store.opensearch]) in turn.
   */
  private static void warnUnknownKeys(
      Path file, TomlTable table, String top, Set<String> sections, List<String> warnings) {
    List<String> known =
        Key.ALL.stream().filter(k -> k.section().equals(top)).map(Key::name).toList();
    for (String name : table.keySet()) {
      if (sections.contains(top + "." + name)
          && table.get(List.of(name)) instanceof TomlTable sub) {
        warnUnknownKeys(file, sub, top + "." + name, sections, warnings);
        continue;
      }
      if (!known.contains(name)) {
        String suggestion = Suggestions.closest(name, known);
        warnings.add(
            at(file, table.inputPositionOf(List.of(name)))
                + ": unknown key "
                + top
                + "."
                + name
                + (suggestion == null
                    ? "; it is ignored (known keys: " + String.join(", ", known) + ")"
                    : "; did you mean " + top + "." + suggestion + "?"));
      }
    }
  }

  private static @Nullable Object convert(
      Key key, @Nullable Object raw, String where, List<String> errors) {
    // A mistyped token is still a secret: name its type, never its value.
    String shown =
        SECRETS.contains(key.dotted())
            ? kindOf(raw) + " (value not shown: it is a secret)"
            : describe(raw);
    String wrongType =
        where + ": " + key.dotted() + " must be " + key.kind().description + ", but was " + shown;
    switch (key.kind()) {
      case STRING -> {
        if (raw instanceof String s) {
          return s;
        }
      }
      case PATH -> {
        if (raw instanceof String s) {
          try {
            var unused = Path.of(s); // parsed only to refuse what no file system takes
            return s;
          } catch (InvalidPathException e) {
            errors.add(
                where
                    + ": "
                    + key.dotted()
                    + " = \""
                    + s.replace("\0", "\\u0000")
                    + "\" is not a usable path ("
                    + e.getReason()
                    + "); give a plain file-system path");
            return null;
          }
        }
      }
      case INTEGER -> {
        if (raw instanceof Long n) {
          String problem = checkRange(key, n);
          if (problem == null) {
            return n;
          }
          errors.add(where + ": " + key.dotted() + " " + problem + ", but was " + n);
          return null;
        }
      }
      case SECONDS -> {
        if (raw instanceof Number n && n.doubleValue() > 0 && Double.isFinite(n.doubleValue())) {
          return n.doubleValue();
        }
        if (raw instanceof Number n) {
          errors.add(
              where + ": " + key.dotted() + " must be a positive number of seconds, but was " + n);
          return null;
        }
      }
      case BOOLEAN -> {
        if (raw instanceof Boolean b) {
          return b;
        }
      }
      case STRING_LIST -> {
        if (raw instanceof TomlArray array
            && array.toList().stream().allMatch(String.class::isInstance)) {
          return array.toList().stream().map(String.class::cast).toList();
        }
      }
      case ENUM -> {
        if (raw instanceof String s) {
          String word = s.trim().toLowerCase(Locale.ROOT);
          if (key.allowed().contains(word)) {
            return word;
          }
          errors.add(
              where
                  + ": "
                  + key.dotted()
                  + " = \""
                  + s
                  + "\" is not allowed; use one of "
                  + String.join(", ", key.allowed()));
          return null;
        }
      }
    }
    errors.add(wrongType);
    return null;
  }

  private static @Nullable String checkRange(Key key, long n) {
    if (key.name().equals("port")) {
      return n >= 0 && n <= 65535 ? null : "must be a port number from 0 to 65535";
    }
    long max = key.name().endsWith("_bytes") ? Long.MAX_VALUE : Integer.MAX_VALUE;
    return n > 0 && n <= max ? null : "must be a positive integer up to " + max;
  }

  private static String describe(@Nullable Object raw) {
    return switch (raw) {
      case null -> "empty";
      case String s -> "the string \"" + s + "\"";
      case Long n -> "the integer " + n;
      case Double d -> "the number " + d;
      case Boolean b -> "the boolean " + b;
      case TomlArray a -> "an array (" + a.toList() + ")";
      case TomlTable t -> "a table";
      default -> "a " + raw.getClass().getSimpleName();
    };
  }

  private static String kindOf(@Nullable Object raw) {
    return switch (raw) {
      case null -> "empty";
      case String s -> "a string";
      case Long n -> "an integer";
      case Double d -> "a number";
      case Boolean b -> "a boolean";
      case TomlArray a -> "an array";
      case TomlTable t -> "a table";
      default -> "a " + raw.getClass().getSimpleName();
    };
  }

  private void applyEnvironment(Values values, List<String> warnings) {
    envString("HELIX_SERVER_UPSTREAM", "server.upstream", values);
    envString("HELIX_TOKEN", "server.token", values);
    envString("HELIX_STORE_PATH", "store.path", values);
    String timeout = env.get("HELIX_SERVER_UPSTREAM_TIMEOUT");
    if (timeout != null && !timeout.isBlank()) {
      try {
        double seconds = Double.parseDouble(timeout.trim());
        if (seconds > 0 && Double.isFinite(seconds)) {
          values.set("server.upstream_timeout", seconds, "env:HELIX_SERVER_UPSTREAM_TIMEOUT");
        } else {
          warnings.add(
              "HELIX_SERVER_UPSTREAM_TIMEOUT='"
                  + timeout
                  + "' is not a positive number of seconds; ignored");
        }
      } catch (NumberFormatException e) {
        warnings.add(
            "HELIX_SERVER_UPSTREAM_TIMEOUT='" + timeout + "' is not a number of seconds; ignored");
      }
    }
    envSwitch("HELIX_HEADROOM_ENABLED", "headroom.enabled", values, warnings);
    envSwitch("HELIX_HEADROOM_AUTOSTART", "headroom.autostart", values, warnings);
    envSwitch("HELIX_STORE_WATCH", "store.watch", values, warnings);
    envString("HELIX_OPENSEARCH_PASSWORD", "store.opensearch.password", values);
    envString("HELIX_OPENSEARCH_API_KEY", "store.opensearch.api_key", values);
  }

  private void envString(String name, String key, Values values) {
    String value = env.get(name);
    if (value != null && !value.isEmpty()) {
      values.set(key, value, "env:" + name);
    }
  }

  private void envSwitch(String name, String key, Values values, List<String> warnings) {
    Boolean value = Switches.triState(name, env.get(name), warnings::add);
    if (value != null) {
      values.set(key, value, "env:" + name);
    }
  }

  private HelixConfig build(
      @Nullable Path file, String fileSource, Values v, List<String> warnings) {
    String homeVar = env.get("HELIX_HOME");
    boolean homeFromEnv = homeVar != null && !homeVar.isEmpty();
    Path home =
        homeFromEnv ? cwd.resolve(expandHome(homeVar)).normalize() : userHome.resolve(".helix");

    Path storePath;
    String storeSource = v.source("store.path");
    if (v.has("store.path")) {
      Path base = storeSource.startsWith("env:") || file == null ? cwd : file.getParent();
      storePath = base.resolve(expandHome(v.string("store.path"))).normalize();
    } else {
      storePath = home.resolve("store");
    }

    Boolean routeAuto =
        Switches.triState(
            "HELIX_HEADROOM_ROUTE_UPSTREAM_AUTO",
            env.get("HELIX_HEADROOM_ROUTE_UPSTREAM_AUTO"),
            warnings::add);
    boolean bridgeDisabled =
        Switches.truthy("HELIX_DISABLE_HEADROOM", env.get("HELIX_DISABLE_HEADROOM"), warnings::add);
    String target = emptyToNull(env.get(Routing.TARGET_VAR));
    String mcpUrl = emptyToNull(env.get("HELIX_MCP_URL"));

    ServerConfig server =
        new ServerConfig(
            v.string("server.host"),
            v.integer("server.port"),
            v.string("server.upstream"),
            v.seconds("server.upstream_timeout"),
            emptyToNull(v.stringOrNull("server.token")),
            v.strings("server.allowed_hosts"),
            v.longValue("server.max_body_bytes"),
            v.bool("server.learn"),
            target);
    String owner =
        v.has("store.opensearch.owner") ? v.string("store.opensearch.owner") : defaultOwner();
    OpenSearchConfig opensearch =
        new OpenSearchConfig(
            v.strings("store.opensearch.urls"),
            v.string("store.opensearch.index"),
            emptyToNull(v.stringOrNull("store.opensearch.username")),
            emptyToNull(v.stringOrNull("store.opensearch.password")),
            emptyToNull(v.stringOrNull("store.opensearch.api_key")),
            v.bool("store.opensearch.tls_verify"),
            owner);
    StoreConfig store =
        new StoreConfig(
            storePath,
            v.bool("store.embeddings"),
            v.longValue("store.max_file_bytes"),
            v.bool("store.watch"),
            v.string("store.backend"),
            opensearch);
    BudgetConfig budget =
        new BudgetConfig(
            v.integer("budget.context_tokens"),
            v.integer("budget.max_chunks"),
            v.string("budget.sparse_miss").equals("window"));
    LauncherConfig launcher =
        new LauncherConfig(
            v.string("launcher.host"),
            v.integer("launcher.port"),
            v.seconds("launcher.start_wait"));
    HeadroomConfig headroom =
        new HeadroomConfig(
            v.bool("headroom.enabled"),
            v.bool("headroom.autostart"),
            v.string("headroom.host"),
            v.integer("headroom.port"),
            HeadroomMode.valueOf(v.string("headroom.mode").toUpperCase(Locale.ROOT)),
            v.string("headroom.dashboard_path"),
            v.bool("headroom.route_upstream"),
            v.strings("headroom.command"),
            v.strings("headroom.extra_args"),
            v.seconds("headroom.compress_timeout"));

    Map<String, Setting> settings = new LinkedHashMap<>();
    put(settings, "home", home.toString(), homeFromEnv ? "env:HELIX_HOME" : "default");
    put(settings, "config.file", file == null ? null : file.toString(), fileSource);
    for (Key key : Key.ALL) {
      Object shown = key.dotted().equals("store.path") ? storePath.toString() : v.get(key.dotted());
      boolean secret =
          key.dotted().equals("server.token")
              ? server.hasToken()
              : SECRETS.contains(key.dotted()) && shown != null;
      if (secret) {
        shown = "***";
      }
      if (key.dotted().equals("store.opensearch.owner")) {
        shown = owner;
      }
      put(settings, key.dotted(), shown, v.source(key.dotted()));
    }
    put(
        settings,
        "headroom.route_upstream_auto",
        routeAuto,
        routeAuto == null ? "default" : "env:HELIX_HEADROOM_ROUTE_UPSTREAM_AUTO");
    put(
        settings,
        "headroom.bridge_disabled",
        bridgeDisabled,
        env.containsKey("HELIX_DISABLE_HEADROOM") ? "env:HELIX_DISABLE_HEADROOM" : "default");
    put(
        settings,
        "server.target_api_url",
        target,
        target == null ? "default" : "env:" + Routing.TARGET_VAR);
    put(settings, "mcp.url", mcpUrl, mcpUrl == null ? "default" : "env:HELIX_MCP_URL");

    return new HelixConfig(
        server,
        store,
        budget,
        launcher,
        headroom,
        home,
        file,
        routeAuto,
        bridgeDisabled,
        mcpUrl,
        new Settings(settings));
  }

  /**
   * Whose sources a server writes on a shared OpenSearch index when {@code [store.opensearch]
   * owner} is unset: user@host, from {@code USER} (or the JVM's user name) and {@code HOSTNAME} (or
   * the local host's name).
   */
  private String defaultOwner() {
    String user = emptyToNull(env.get("USER"));
    if (user == null) {
      user = System.getProperty("user.name", "unknown");
    }
    String host = emptyToNull(env.get("HOSTNAME"));
    if (host == null) {
      try {
        host = java.net.InetAddress.getLocalHost().getHostName();
      } catch (java.net.UnknownHostException e) {
        host = "localhost";
      }
    }
    return user + "@" + host;
  }

  /** Where the file came from when no {@code --config} named it. */
  private String configFileSource() {
    String fromEnv = env.get("HELIX_CONFIG");
    return fromEnv != null && !fromEnv.isEmpty() ? "env:HELIX_CONFIG" : "default";
  }

  private static void put(
      Map<String, Setting> settings, String key, @Nullable Object value, String source) {
    settings.put(key, new Setting(key, value, source));
  }

  private Path expandHome(String path) {
    if (path.equals("~")) {
      return userHome;
    }
    if (path.startsWith("~/")) {
      return userHome.resolve(path.substring(2));
    }
    return Path.of(path);
  }

  private static @Nullable String emptyToNull(@Nullable String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  /** Effective raw values by dotted key, starting from the defaults, with their sources. */
  private static final class Values {
    private final Map<String, @Nullable Object> values = new LinkedHashMap<>();
    private final Map<String, String> sources = new LinkedHashMap<>();

    Values() {
      for (Key key : Key.ALL) {
        values.put(key.dotted(), key.defaultValue());
        sources.put(key.dotted(), "default");
      }
    }

    void set(String key, Object value, String source) {
      values.put(key, value);
      sources.put(key, source);
    }

    boolean has(String key) {
      return values.get(key) != null;
    }

    @Nullable Object get(String key) {
      return values.get(key);
    }

    String source(String key) {
      return sources.getOrDefault(key, "default");
    }

    String string(String key) {
      return (String) Objects.requireNonNull(values.get(key), key);
    }

    @Nullable String stringOrNull(String key) {
      return (String) values.get(key);
    }

    int integer(String key) {
      return Math.toIntExact(longValue(key));
    }

    long longValue(String key) {
      return (Long) Objects.requireNonNull(values.get(key), key);
    }

    boolean bool(String key) {
      return (Boolean) Objects.requireNonNull(values.get(key), key);
    }

    Duration seconds(String key) {
      double s = (Double) Objects.requireNonNull(values.get(key), key);
      return Duration.ofNanos(Math.round(s * 1_000_000_000d));
    }

    @SuppressWarnings("unchecked")
    List<String> strings(String key) {
      return (List<String>) Objects.requireNonNull(values.get(key), key);
    }
  }
}
