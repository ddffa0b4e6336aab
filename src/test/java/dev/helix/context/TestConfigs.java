package dev.helix.context;

import dev.helix.config.ConfigLoader;
import dev.helix.config.HelixConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Configurations for tests: a store in a temp folder, embeddings on or off. */
final class TestConfigs {
  private TestConfigs() {}

  static HelixConfig store(Path dir, boolean embeddings, long maxFileBytes) throws Exception {
    Path home = Files.createDirectories(dir.resolve("home"));
    Path toml = dir.resolve("helix.toml");
    Files.writeString(
        toml,
        """
        [store]
        path = "%s"
        embeddings = %s
        max_file_bytes = %d
        """
            .formatted(
                dir.resolve("store").toString().replace("\\", "\\\\"), embeddings, maxFileBytes));
    return new ConfigLoader(Map.of("HELIX_HOME", home.toString()), dir, home).load(toml).config();
  }

  static Path write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    return Files.writeString(file, text);
  }
}
