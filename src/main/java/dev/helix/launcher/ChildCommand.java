package dev.helix.launcher;

import dev.helix.config.HelixConfig;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The command lines of the helix JVMs that the launcher and {@code helix up} start: the server, an
 * ingest, a detached launcher.
 */
final class ChildCommand {
  /** The JVM's notice, on stderr at boot, of a program given an incubator module. */
  private static final String INCUBATOR_NOTICE = "WARNING: Using incubator modules: ";

  private ChildCommand() {}

  /**
   * {@code <java> <JVM options> -cp <class path> dev.helix.cli.Main <subcommand> [--config FILE]}.
   */
  static List<String> of(HelixConfig config, String subcommand) {
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> command = new ArrayList<>();
    command.add(java);
    command.addAll(
        Stream.concat(inheritedJvmOptions().stream(), helixJvmOptions().stream())
            .distinct()
            .toList());
    if (subcommand.equals("launcher")) {
      command.addAll(LauncherClient.LAUNCHER_JVM_OPTIONS);
    }
    command.addAll(
        List.of("-cp", System.getProperty("java.class.path"), "dev.helix.cli.Main", subcommand));
    config
        .configFile()
        .ifPresent(file -> command.addAll(List.of("--config", file.toAbsolutePath().toString())));
    return List.copyOf(command);
  }

  static boolean isIncubatorNotice(String line) {
    return line.startsWith(INCUBATOR_NOTICE);
  }

  /**
   * What every helix JVM runs with (the ./helix script passes the same): Lucene's vectorized code
   * needs the incubating Vector API (without it Lucene warns at each start and uses its scalar
   * code, not what bench/store measured), and its native file calls (madvise) need native access,
   * or the JVM warns. The module is left out on a JDK built without it, where asking for it fails
   * the start.
   */
  static List<String> helixJvmOptions() {
    return ModuleFinder.ofSystem().find("jdk.incubator.vector").isPresent()
        ? List.of("--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED")
        : List.of("--enable-native-access=ALL-UNNAMED");
  }

  /**
   * The JVM options of this process that make a child start faster and log the same way: the
   * start-up cache that ./helix trains (AOT cache or class-data archive, mapped read-only) and the
   * JVM's own log settings. Everything else (heap size, agents) is the user's to set per process.
   */
  static List<String> inheritedJvmOptions() {
    List<String> options = new ArrayList<>();
    String[] args = ProcessHandle.current().info().arguments().orElse(new String[0]);
    for (String arg : args) {
      if (!arg.startsWith("-")
          || arg.equals("-jar")
          || arg.equals("-cp")
          || arg.equals("-classpath")
          || arg.equals("--class-path")) {
        break;
      }
      if (arg.startsWith("-XX:SharedArchiveFile=")
          || arg.startsWith("-XX:AOTCache=")
          || arg.startsWith("-Xshare:")
          || arg.startsWith("--enable-native-access=")
          || arg.startsWith("-Xlog:")) {
        options.add(arg);
      }
    }
    return options;
  }
}
