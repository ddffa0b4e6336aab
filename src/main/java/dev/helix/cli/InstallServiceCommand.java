package dev.helix.cli;

import dev.helix.config.HelixConfig;
import dev.helix.launcher.LauncherClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code helix install-service [--dry-run]}: writes a systemd user unit (Linux) or a launchd agent
 * (macOS) that runs {@code helix launcher}, and prints the next steps. Never enables anything.
 */
@Command(
    name = "install-service",
    mixinStandardHelpOptions = true,
    description =
        "Write a systemd user unit (Linux) or launchd agent (macOS) that runs the launcher; prints how to enable it.")
final class InstallServiceCommand implements Callable<Integer> {
  /** Which service manager to write for. */
  enum Kind {
    SYSTEMD,
    LAUNCHD
  }

  private final Cli cli;

  @Mixin ConfigOption config = new ConfigOption();

  @Option(names = "--dry-run", description = "Print the file and where it would go; write nothing.")
  boolean dryRun;

  @Option(
      names = "--kind",
      paramLabel = "systemd|launchd",
      description = "Service manager (default: launchd on macOS, else systemd).")
  @Nullable String kind;

  InstallServiceCommand(Cli cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() throws Exception {
    HelixConfig effective = cli.load(config.path).config();
    LauncherCommand.checkConfig(effective);
    Kind chosen = kind();
    Path home = cli.loader().userHome();
    List<String> command = command(effective);
    Map<String, String> env = new LinkedHashMap<>();
    env.put("HELIX_HOME", effective.home().toString());
    String javaHome = System.getProperty("java.home");
    if (javaHome != null) {
      env.put("JAVA_HOME", javaHome);
    }
    Path target;
    String content;
    List<String> steps;
    switch (chosen) {
      case SYSTEMD -> {
        target = home.resolve(".config/systemd/user/helix.service");
        content = systemdUnit(command, env);
        steps =
            List.of(
                "systemctl --user daemon-reload && systemctl --user enable --now helix",
                "systemctl --user status helix    # journalctl --user -u helix for its output");
      }
      case LAUNCHD -> {
        target = home.resolve("Library/LaunchAgents/dev.helix.launcher.plist");
        content = launchdPlist(command, env, effective.launcherDir().resolve("launcher.log"));
        steps =
            List.of(
                "launchctl bootstrap gui/$(id -u) " + target,
                "launchctl print gui/$(id -u)/dev.helix.launcher");
      }
      default -> throw new IllegalStateException();
    }
    if (dryRun) {
      cli.err().println("helix: --dry-run: would write " + target + ":");
      cli.err().flush();
      cli.out().print(content);
    } else {
      Files.createDirectories(target.getParent());
      Path tmp = Files.createTempFile(target.getParent(), ".helix", ".tmp");
      Files.writeString(tmp, content);
      Files.move(
          tmp,
          target,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      cli.out().println("wrote " + target);
    }
    cli.out().println();
    cli.out().println("next steps (helix enables nothing itself):");
    steps.forEach(s -> cli.out().println("  " + s));
    cli.out().flush();
    return ExitCodes.OK;
  }

  private Kind kind() {
    if (kind != null) {
      return switch (kind.toLowerCase(Locale.ROOT)) {
        case "systemd" -> Kind.SYSTEMD;
        case "launchd" -> Kind.LAUNCHD;
        default ->
            throw new CommandFailedException(
                "--kind " + kind + " is not allowed; use systemd or launchd", ExitCodes.USAGE);
      };
    }
    return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("mac")
        ? Kind.LAUNCHD
        : Kind.SYSTEMD;
  }

  /** {@code <repo>/helix launcher} when run through the ./helix script, else the java command. */
  private static List<String> command(HelixConfig config) {
    String appDir = System.getProperty("helix.app.dir");
    if (appDir != null) {
      // ./helix runs the app from <repo>/.helix/app/<build id>.
      Path script =
          Path.of(appDir)
              .toAbsolutePath()
              .normalize()
              .getParent()
              .getParent()
              .getParent()
              .resolve("helix");
      if (Files.isExecutable(script)) {
        List<String> command = new ArrayList<>(List.of(script.toString(), "launcher"));
        config
            .configFile()
            .ifPresent(f -> command.addAll(List.of("--config", f.toAbsolutePath().toString())));
        return command;
      }
    }
    return LauncherClient.helixCommand(config, "launcher");
  }

  static String systemdUnit(List<String> command, Map<String, String> env) {
    StringBuilder unit = new StringBuilder();
    unit.append("# Written by `helix install-service`. Enable with:\n");
    unit.append("#   systemctl --user daemon-reload && systemctl --user enable --now helix\n");
    unit.append(
        "[Unit]\nDescription=helix launcher (context server, dashboard, Headroom supervision)\n");
    unit.append("After=network.target\n\n[Service]\nType=simple\n");
    unit.append("ExecStart=")
        .append(
            String.join(" ", command.stream().map(InstallServiceCommand::systemdQuote).toList()))
        .append('\n');
    env.forEach(
        (k, v) -> unit.append("Environment=").append(systemdQuote(k + "=" + v)).append('\n'));
    // SIGTERM to the launcher only: it stops its children itself, gracefully, then systemd KILLs
    // leftovers.
    unit.append("KillMode=mixed\nTimeoutStopSec=45\nRestart=on-failure\nRestartSec=5\n\n");
    unit.append("[Install]\nWantedBy=default.target\n");
    return unit.toString();
  }

  /** One ExecStart word: quoted when needed; systemd expands %, $ and \ itself, so escape them. */
  static String systemdQuote(String word) {
    String escaped =
        word.replace("\\", "\\\\").replace("\"", "\\\"").replace("%", "%%").replace("$", "$$");
    return escaped.isEmpty()
            || escaped.chars().anyMatch(c -> Character.isWhitespace(c) || c == ';' || c == '\'')
            || !escaped.equals(word)
        ? "\"" + escaped + "\""
        : escaped;
  }

  static String launchdPlist(List<String> command, Map<String, String> env, Path log) {
    StringBuilder plist = new StringBuilder();
    plist.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    plist.append(
        "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n");
    plist.append("<plist version=\"1.0\">\n<dict>\n");
    plist.append("  <key>Label</key><string>dev.helix.launcher</string>\n");
    plist.append("  <key>ProgramArguments</key>\n  <array>\n");
    command.forEach(c -> plist.append("    <string>").append(xml(c)).append("</string>\n"));
    plist.append("  </array>\n  <key>EnvironmentVariables</key>\n  <dict>\n");
    env.forEach(
        (k, v) ->
            plist
                .append("    <key>")
                .append(xml(k))
                .append("</key><string>")
                .append(xml(v))
                .append("</string>\n"));
    plist.append("  </dict>\n  <key>RunAtLoad</key><true/>\n");
    plist.append("  <key>KeepAlive</key><dict><key>SuccessfulExit</key><false/></dict>\n");
    plist
        .append("  <key>StandardOutPath</key><string>")
        .append(xml(log.toString()))
        .append("</string>\n");
    plist
        .append("  <key>StandardErrorPath</key><string>")
        .append(xml(log.toString()))
        .append("</string>\n");
    plist.append("</dict>\n</plist>\n");
    return plist.toString();
  }

  private static String xml(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
