package dev.helix.config;

/** The compression mode passed to Headroom as {@code --mode}. */
public enum HeadroomMode {
  TOKEN("token"),
  CACHE("cache");

  private final String value;

  HeadroomMode(String value) {
    this.value = value;
  }

  /** The word used in helix.toml and on Headroom's command line. */
  public String value() {
    return value;
  }
}
