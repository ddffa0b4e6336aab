package dev.helix.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionTokenTest {
  @TempDir Path dir;

  @Test
  void eachTokenCarriesAtLeast256RandomBits() {
    SessionToken a = SessionToken.generate(new SecureRandom());
    SessionToken b = SessionToken.generate(new SecureRandom());
    assertThat(a.value()).hasSize(64).matches("[0-9a-f]+");
    assertThat(a.value()).isNotEqualTo(b.value());
    assertThat(a.toString()).doesNotContain(a.value());
  }

  @Test
  void onlyTheExactTokenMatches() {
    SessionToken token = SessionToken.generate(new SecureRandom());
    assertThat(token.matches(token.value())).isTrue();
    assertThat(token.matches(null)).isFalse();
    assertThat(token.matches("")).isFalse();
    assertThat(token.matches(token.value().substring(1))).isFalse();
    assertThat(token.matches(token.value() + "0")).isFalse();
  }

  @Test
  void theTokenFileIsReadableByItsOwnerOnly() throws Exception {
    SessionToken token = SessionToken.generate(new SecureRandom());
    Path file = dir.resolve("launcher/session.token");
    token.writeTo(file);
    assertThat(SessionToken.read(file)).isEqualTo(token.value());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
  }
}
