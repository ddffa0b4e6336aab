package dev.helix.compress;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Excerpts of real inputs kept as test resources (a few KB each): a Debian dpkg and apt log with a
 * Java stack trace spliced in, and {@code npm view react --json} with its long lists trimmed.
 */
final class Excerpts {
  private Excerpts() {}

  static String read(String name) {
    try (InputStream in = Excerpts.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("test resource dev/helix/compress/" + name + " is missing");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
