package dev.helix.cli;

import picocli.CommandLine.IVersionProvider;

/** Reads helix's version from the jar manifest, so it is never out of step with the build. */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {"helix " + version()};
  }

  /** The version in the manifest, or {@code dev} when running from classes. */
  static String version() {
    String v = Main.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
