package dev.helix.cli;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** The {@code --config PATH} option that every subcommand accepts. */
final class ConfigOption {
  @Option(
      names = "--config",
      paramLabel = "PATH",
      description =
          "Config file (default: $HELIX_CONFIG, else ./helix.toml, else built-in defaults).")
  @Nullable Path path;
}
