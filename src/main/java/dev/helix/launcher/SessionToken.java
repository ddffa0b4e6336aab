package dev.helix.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;

/**
 * The launcher's session token (docs/security.md): 256 random bits, new at each start, written to a
 * file only its owner can read, required on the control API and compared in constant time.
 */
final class SessionToken {
  /** 32 bytes = 256 bits, the floor docs/security.md sets. */
  private static final int BYTES = 32;

  private final String value;

  private SessionToken(String value) {
    this.value = value;
  }

  static SessionToken generate(SecureRandom random) {
    byte[] bytes = new byte[BYTES];
    random.nextBytes(bytes);
    return new SessionToken(HexFormat.of().formatHex(bytes));
  }

  String value() {
    return value;
  }

  /** True when {@code presented} is this token; constant time, so timing reveals nothing. */
  boolean matches(@Nullable String presented) {
    if (presented == null) {
      return false;
    }
    return MessageDigest.isEqual(
        value.getBytes(StandardCharsets.UTF_8), presented.trim().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Writes the token to {@code file} with mode 0600, atomically (created private, then renamed).
   */
  void writeTo(Path file) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp;
    if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
      tmp =
          Files.createTempFile(
              dir,
              ".session",
              ".tmp",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } else {
      tmp = Files.createTempFile(dir, ".session", ".tmp");
    }
    Files.writeString(tmp, value + "\n");
    AtomicFiles.move(tmp, file);
  }

  /** Reads the token another process wrote, or null when there is none. */
  static @Nullable String read(Path file) {
    try {
      return Files.isRegularFile(file) ? Files.readString(file).trim() : null;
    } catch (IOException e) {
      return null;
    }
  }

  @Override
  public String toString() {
    return "SessionToken[***]";
  }
}
