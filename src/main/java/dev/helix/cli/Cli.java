package dev.helix.cli;

import dev.helix.config.ConfigException;
import dev.helix.config.ConfigLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every command gets: the config loader, stdout for its output, stderr for people, and the
 * process environment (read once, in {@link Main}).
 */
record Cli(ConfigLoader loader, PrintWriter out, PrintWriter err, Map<String, String> env) {
  private static final Logger log = LoggerFactory.getLogger("helix");

  /** Loads the configuration and logs its warnings on stderr. */
  ConfigLoader.Loaded load(@Nullable Path configFile) throws ConfigException {
    ConfigLoader.Loaded loaded = loader.load(configFile);
    loaded.warnings().forEach(w -> log.warn("{}", w));
    return loaded;
  }
}
