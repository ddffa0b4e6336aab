package dev.helix.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.helix.config.ConfigLoader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstallServiceTest {
  @TempDir Path home;

  record Result(int exit, String out, String err) {}

  private Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Map<String, String> env =
        Map.of("HOME", home.toString(), "HELIX_HOME", home.resolve("helix-home").toString());
    Cli cli =
        new Cli(
            new ConfigLoader(env, home, home),
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            env);
    int exit = new Main(cli).run(args);
    return new Result(exit, out.toString(), err.toString());
  }

  private Path unit() {
    return home.resolve(".config/systemd/user/helix.service");
  }

  @Test
  void aDryRunPrintsTheUnitAndTheNextStepsAndWritesNothing() {
    Result result = run("install-service", "--dry-run", "--kind", "systemd");
    assertThat(result.exit()).isZero();
    assertThat(result.out())
        .contains(
            "[Service]",
            "ExecStart=",
            "dev.helix.cli.Main launcher",
            "Environment=HELIX_HOME=" + home.resolve("helix-home"),
            "KillMode=mixed",
            "WantedBy=default.target",
            "systemctl --user daemon-reload && systemctl --user enable --now helix");
    assertThat(result.err()).contains("would write " + unit());
    assertThat(unit()).doesNotExist();
  }

  @Test
  void theUnitIsWrittenWhereSystemdLooksAndNothingIsEnabled() throws Exception {
    Result result = run("install-service", "--kind", "systemd");
    assertThat(result.exit()).isZero();
    assertThat(result.out())
        .contains("wrote " + unit(), "next steps (helix enables nothing itself)");
    assertThat(Files.readString(unit())).contains("ExecStart=").contains("launcher");
    assertThat(home.resolve(".config/systemd/user/default.target.wants")).doesNotExist();
  }

  @Test
  void theUnitPassesSystemdAnalyzeVerify() throws Exception {
    Path tool = Path.of("/usr/bin/systemd-analyze");
    assumeThat(Files.isExecutable(tool))
        .as("systemd-analyze is not installed here, so the unit cannot be verified")
        .isTrue();
    assertThat(run("install-service", "--kind", "systemd").exit()).isZero();
    Process verify =
        new ProcessBuilder(tool.toString(), "verify", unit().toString())
            .redirectErrorStream(true)
            .start();
    assertThat(verify.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String output = new String(verify.getInputStream().readAllBytes());
    assertThat(verify.exitValue()).as(output).isZero();
    assertThat(output).doesNotContain(unit().getFileName().toString());
  }

  @Test
  void onMacOsALaunchdAgentRunsTheLauncherAtLogin() {
    Result result = run("install-service", "--dry-run", "--kind", "launchd");
    assertThat(result.exit()).isZero();
    assertThat(result.out())
        .contains(
            "<key>Label</key><string>dev.helix.launcher</string>",
            "<string>launcher</string>",
            "<key>RunAtLoad</key><true/>",
            "launchctl bootstrap gui/$(id -u)");
    assertThat(result.err())
        .contains(home.resolve("Library/LaunchAgents/dev.helix.launcher.plist").toString());
  }

  @Test
  void execStartWordsWithSpacesAndSpecialCharactersAreQuoted() {
    assertThat(InstallServiceCommand.systemdQuote("/opt/my helix/helix"))
        .isEqualTo("\"/opt/my helix/helix\"");
    assertThat(InstallServiceCommand.systemdQuote("100%")).isEqualTo("\"100%%\"");
    assertThat(InstallServiceCommand.systemdQuote("$HOME")).isEqualTo("\"$$HOME\"");
    assertThat(InstallServiceCommand.systemdQuote("plain")).isEqualTo("plain");
    assertThat(InstallServiceCommand.systemdUnit(List.of("/a b/java", "-cp", "x"), Map.of()))
        .contains("ExecStart=\"/a b/java\" -cp x");
  }

  @Test
  void anUnknownKindIsABadArgument() {
    Result result = run("install-service", "--dry-run", "--kind", "upstart");
    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains("--kind upstart is not allowed; use systemd or launchd");
  }
}
