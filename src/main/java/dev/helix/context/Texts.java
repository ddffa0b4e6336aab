package dev.helix.context;

import java.nio.charset.StandardCharsets;

/** Byte-level checks and decoding of files. */
final class Texts {
  /** How far into a file a NUL byte is looked for; git uses the same 8000 bytes. */
  private static final int SNIFF = 8000;

  private Texts() {}

  /** A file is binary when its first 8000 bytes hold a NUL, as git decides. */
  static boolean binary(byte[] bytes) {
    int n = Math.min(bytes.length, SNIFF);
    for (int i = 0; i < n; i++) {
      if (bytes[i] == 0) {
        return true;
      }
    }
    return false;
  }

  /** UTF-8, with a byte-order mark dropped and bad bytes replaced. */
  static String decode(byte[] bytes) {
    String s = new String(bytes, StandardCharsets.UTF_8);
    return s.startsWith("\uFEFF") ? s.substring(1) : s;
  }
}
