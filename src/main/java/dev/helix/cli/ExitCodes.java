package dev.helix.cli;

/** helix's exit statuses (README.md, Commands). */
final class ExitCodes {
  static final int OK = 0;
  static final int ERROR = 1;

  /** Bad arguments, configuration or environment. */
  static final int USAGE = 2;

  /** A status check found the server down. */
  static final int DOWN = 3;

  private ExitCodes() {}
}
