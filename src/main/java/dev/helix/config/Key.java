package dev.helix.config;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** One known helix.toml key: its section, name, type and default. */
record Key(
    String section, String name, Kind kind, @Nullable Object defaultValue, List<String> allowed) {

  /** The types a helix.toml value may have. */
  enum Kind {
    STRING("a string"),
    INTEGER("an integer"),
    SECONDS("a number of seconds"),
    BOOLEAN("true or false"),
    STRING_LIST("an array of strings"),
    ENUM("one of the allowed words"),
    PATH("a path string");

    final String description;

    Kind(String description) {
      this.description = description;
    }
  }

  Key {
    allowed = List.copyOf(allowed);
  }

  static Key of(String section, String name, Kind kind, @Nullable Object defaultValue) {
    return new Key(section, name, kind, defaultValue, List.of());
  }

  static Key oneOf(String section, String name, String defaultValue, String... allowed) {
    return new Key(section, name, Kind.ENUM, defaultValue, List.of(allowed));
  }

  String dotted() {
    return section + "." + name;
  }

  /** Every key of docs/configuration.md, in the order `helix config` prints them. */
  static final List<Key> ALL =
      List.of(
          of("server", "host", Kind.STRING, "127.0.0.1"),
          of("server", "port", Kind.INTEGER, 11437L),
          of("server", "upstream", Kind.STRING, "http://localhost:11434"),
          of("server", "upstream_timeout", Kind.SECONDS, 180.0),
          of("server", "token", Kind.STRING, null),
          of("server", "allowed_hosts", Kind.STRING_LIST, List.of()),
          of("server", "max_body_bytes", Kind.INTEGER, 33_554_432L),
          of("server", "learn", Kind.BOOLEAN, false),
          of("store", "path", Kind.PATH, null),
          of("store", "embeddings", Kind.BOOLEAN, true),
          of("store", "max_file_bytes", Kind.INTEGER, 2_097_152L),
          of("store", "watch", Kind.BOOLEAN, true),
          oneOf("store", "backend", "lucene", "lucene", "opensearch"),
          of("store.opensearch", "urls", Kind.STRING_LIST, List.of("http://localhost:9200")),
          of("store.opensearch", "index", Kind.STRING, "helix"),
          of("store.opensearch", "username", Kind.STRING, null),
          of("store.opensearch", "password", Kind.STRING, null),
          of("store.opensearch", "api_key", Kind.STRING, null),
          of("store.opensearch", "tls_verify", Kind.BOOLEAN, true),
          of("store.opensearch", "owner", Kind.STRING, null),
          of("budget", "context_tokens", Kind.INTEGER, 6000L),
          of("budget", "max_chunks", Kind.INTEGER, 8L),
          oneOf("budget", "sparse_miss", "locations", "locations", "window"),
          of("launcher", "host", Kind.STRING, "127.0.0.1"),
          of("launcher", "port", Kind.INTEGER, 11438L),
          of("launcher", "start_wait", Kind.SECONDS, 15.0),
          of("headroom", "enabled", Kind.BOOLEAN, false),
          of("headroom", "autostart", Kind.BOOLEAN, true),
          of("headroom", "host", Kind.STRING, "127.0.0.1"),
          of("headroom", "port", Kind.INTEGER, 8787L),
          oneOf("headroom", "mode", "token", "token", "cache"),
          of("headroom", "dashboard_path", Kind.STRING, "/dashboard"),
          of("headroom", "route_upstream", Kind.BOOLEAN, false),
          of("headroom", "command", Kind.STRING_LIST, List.of("headroom", "proxy")),
          of("headroom", "extra_args", Kind.STRING_LIST, List.of("--no-rate-limit")),
          of("headroom", "compress_timeout", Kind.SECONDS, 2.0));
}
