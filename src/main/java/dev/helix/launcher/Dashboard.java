package dev.helix.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The dashboard page: one self-contained HTML file (styles, script and chart inline, nothing from
 * the internet) with the session token embedded for its own buttons.
 */
final class Dashboard {
  private static final String PLACEHOLDER = "__HELIX_SESSION_TOKEN__";
  private final String template;

  Dashboard() {
    try (InputStream in = Dashboard.class.getResourceAsStream("dashboard.html")) {
      if (in == null) {
        throw new IllegalStateException(
            "dashboard.html is missing from the helix jar; rebuild helix");
      }
      template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read dashboard.html from the helix jar", e);
    }
  }

  /** The page with {@code token} (hex, so safe inside a JS string) in place. */
  String render(String token) {
    if (!token.matches("[0-9a-f]+")) {
      throw new IllegalArgumentException("the session token must be hex");
    }
    return template.replace(PLACEHOLDER, token);
  }
}
