package dev.helix.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.helix.launcher.ChildProbe.Adoptee;
import dev.helix.launcher.ChildState.BackingOff;
import dev.helix.launcher.ChildState.Running;
import dev.helix.launcher.ChildState.Starting;
import dev.helix.launcher.ChildState.Stopped;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The supervisor's state machine with time, processes and probes played by the test: a manual clock
 * and scheduler, a {@link FakeSpawner} and a {@link ScriptedProbe}.
 */
class ChildSupervisorTest {
  @TempDir Path dir;
  final ManualTime time = new ManualTime();
  final FakeSpawner spawner = new FakeSpawner();
  final ScriptedProbe probe = new ScriptedProbe();
  final AtomicInteger changes = new AtomicInteger();

  ChildSupervisor supervisor(ChildSpec.Restart restart, Duration startWait) {
    return supervisor(restart, startWait, false);
  }

  ChildSupervisor supervisor(ChildSpec.Restart restart, Duration startWait, boolean adoptsLater) {
    ChildSpec spec =
        new ChildSpec(
            "child",
            "the child",
            "test child",
            "http://127.0.0.1:9",
            9,
            List.of("child", "--serve"),
            Map.of("MODE", "test"),
            dir.resolve("child.log"),
            startWait,
            restart,
            adoptsLater,
            probe);
    return new ChildSupervisor(
        spec, new ChildSpec.Parts(time.clock, time, spawner, changes::incrementAndGet));
  }

  ChildSupervisor supervisor() {
    return supervisor(ChildSpec.Restart.AFTER_CRASH, Duration.ofSeconds(5));
  }

  Duration nextRestartIn(ChildSupervisor supervisor) {
    assertThat(supervisor.status().state()).isInstanceOf(BackingOff.class);
    return Duration.between(
        time.clock.instant(), ((BackingOff) supervisor.status().state()).restartAt());
  }

  @Test
  void startSpawnsTheCommandAndAnswersOnceTheChildIsReady() {
    ChildSupervisor supervisor = supervisor();
    ControlResult result = supervisor.start();
    assertThat(result.status()).as(result.message()).isEqualTo(200);
    assertThat(result.body()).containsEntry("pid", 1000L).containsEntry("started_pending", false);
    assertThat(spawner.lastCommand).containsExactly("child", "--serve");
    assertThat(supervisor.status().state())
        .isInstanceOfSatisfying(
            Running.class, running -> assertThat(running.child().owned()).isTrue());
    assertThat(supervisor.status().autoRestart()).isTrue();
    assertThat(changes.get()).as("the state file and dashboard are told").isPositive();

    ControlResult again = supervisor.start();
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.message()).contains("already running", "pid 1000", "use restart");
    assertThat(spawner.spawned).hasSize(1);
  }

  @Test
  void aChildAlreadyAnsweringIsAdoptedNotSpawned() {
    probe.answering = new Adoptee(4242L);
    ChildSupervisor supervisor = supervisor();
    ControlResult result = supervisor.start();
    assertThat(result.status()).isEqualTo(200);
    assertThat(result.message()).contains("adopted", "pid 4242");
    assertThat(spawner.spawned).isEmpty();
    assertThat(supervisor.status().state())
        .isInstanceOfSatisfying(
            Running.class,
            running -> {
              assertThat(running.child().owned()).isFalse();
              assertThat(running.child().pid()).isEqualTo(4242L);
            });
    assertThat(supervisor.status().autoRestart())
        .as("an adopted child is not ours to restart")
        .isFalse();
  }

  @Test
  void aChildSlowToAnswerIsReportedPendingThenRunningOnceItAnswers() {
    probe.ready = false;
    ChildSupervisor supervisor = supervisor(ChildSpec.Restart.AFTER_CRASH, Duration.ofMillis(50));
    ControlResult result = supervisor.start();
    assertThat(result.status()).isEqualTo(202);
    assertThat(result.body()).containsEntry("started_pending", true).containsEntry("pid", 1000L);
    assertThat(result.message()).contains("still starting");
    assertThat(supervisor.status().state()).isInstanceOf(Starting.class);
    assertThat(spawner.last().isAlive()).as("kept, not killed").isTrue();

    time.advance(Duration.ofSeconds(5));
    assertThat(supervisor.status().state()).as("still polled").isInstanceOf(Starting.class);
    probe.ready = true;
    time.advance(Duration.ofSeconds(1));
    assertThat(supervisor.status().state()).isInstanceOf(Running.class);
  }

  @Test
  void aChildThatExitsWhileStartingFailsWithItsStatusAndIsRestartedLater() {
    spawner.exitsAtOnce = 3;
    ChildSupervisor supervisor = supervisor();
    ControlResult result = supervisor.start();
    assertThat(result.status()).isEqualTo(500);
    assertThat(result.message())
        .contains("the child exited with status 3 while starting", "child.log");
    assertThat(supervisor.status().lastError().operation()).isEqualTo("start");
    assertThat(nextRestartIn(supervisor)).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void aCrashIsRestartedAfterABackoffThatDoublesAndResetsAfterAStableMinute() {
    ChildSupervisor supervisor = supervisor();
    supervisor.start();
    spawner.last().exit(1);
    assertThat(supervisor.status().lastError().operation()).isEqualTo("run");
    assertThat(supervisor.status().lastError().message())
        .contains("pid 1000", "exited with status 1");
    assertThat(nextRestartIn(supervisor)).isEqualTo(Duration.ofSeconds(1));
    assertThat(supervisor.status().state().word())
        .as("the dashboard shows it stopped")
        .isEqualTo("stopped");

    time.advance(Duration.ofMillis(999));
    assertThat(spawner.spawned).as("not before its time").hasSize(1);
    time.advance(Duration.ofMillis(1));
    assertThat(spawner.spawned).hasSize(2);
    assertThat(supervisor.status().state()).isInstanceOf(Running.class);
    assertThat(supervisor.status().restarts()).isEqualTo(1);
    assertThat(supervisor.status().lastRestart().reason()).startsWith("crash: pid 1000");

    spawner.last().exit(1);
    assertThat(nextRestartIn(supervisor))
        .as("crashed again at once")
        .isEqualTo(Duration.ofSeconds(2));
    time.advance(Duration.ofSeconds(2));
    spawner.last().exit(1);
    assertThat(nextRestartIn(supervisor)).isEqualTo(Duration.ofSeconds(4));
    time.advance(Duration.ofSeconds(4));
    assertThat(spawner.spawned).hasSize(4);
    assertThat(supervisor.status().restarts()).isEqualTo(3);

    time.advance(Duration.ofSeconds(60));
    spawner.last().exit(1);
    assertThat(nextRestartIn(supervisor))
        .as("after a minute of health, back to the first delay")
        .isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void aStopDuringTheBackoffCallsOffTheRestart() {
    ChildSupervisor supervisor = supervisor();
    supervisor.start();
    spawner.last().exit(1);
    ControlResult stop = supervisor.stop(false);
    assertThat(stop.status()).isEqualTo(409);
    assertThat(stop.message()).contains("not running");
    assertThat(supervisor.status().state()).isInstanceOf(Stopped.class);
    assertThat(supervisor.status().autoRestart()).isFalse();
    time.advance(Duration.ofMinutes(5));
    assertThat(spawner.spawned).hasSize(1);
  }

  @Test
  void aChildOfPolicyNeverStaysStoppedAfterACrash() {
    ChildSupervisor supervisor = supervisor(ChildSpec.Restart.NEVER, Duration.ofSeconds(5));
    supervisor.start();
    spawner.last().exit(1);
    assertThat(supervisor.status().state()).isInstanceOf(Stopped.class);
    assertThat(supervisor.status().lastError().operation()).isEqualTo("run");
    time.advance(Duration.ofMinutes(5));
    assertThat(spawner.spawned).hasSize(1);
  }

  @Test
  void stoppingAnOwnedChildAsksItFirstAndSignalsItOnlyIfItStays() {
    probe.onAsk = () -> spawner.last().exit(0);
    ChildSupervisor supervisor = supervisor();
    supervisor.start();
    ControlResult stop = supervisor.stop(false);
    assertThat(stop.status()).as(stop.message()).isEqualTo(200);
    assertThat(stop.message()).contains("pid 1000", "has stopped");
    assertThat(probe.asked).hasValue(1);
    assertThat(spawner.last().terms).as("it left when asked").isZero();
    assertThat(supervisor.status().state()).isInstanceOf(Stopped.class);
    assertThat(supervisor.status().lastError()).as("an exit asked for is no crash").isNull();
    time.advance(Duration.ofMinutes(5));
    assertThat(spawner.spawned).as("nor restarted").hasSize(1);
  }

  @Test
  void anOwnedChildThatIgnoresTheRequestAndTermIsKilled() {
    probe.onAsk = () -> {};
    spawner.exitsOnTerm = false;
    ChildSupervisor supervisor = supervisor();
    supervisor.start();
    ControlResult stop = supervisor.stop(false);
    assertThat(stop.status()).isEqualTo(200);
    assertThat(spawner.last().terms).isEqualTo(1);
    assertThat(spawner.last().kills).isEqualTo(1);
    assertThat(spawner.last().isAlive()).isFalse();
    assertThat(supervisor.status().state()).isInstanceOf(Stopped.class);
  }

  @Test
  void aStopThatTimesOutAnswers408AndKeepsTheChildShownWithNoRestartComing() {
    spawner.exitsOnTerm = false;
    spawner.exitsOnKill = false;
    ChildSupervisor supervisor = supervisor();
    supervisor.start();
    ControlResult stop = supervisor.stop(false);
    assertThat(stop.status()).isEqualTo(408);
    assertThat(stop.body()).containsEntry("ok", false).containsEntry("pid", 1000L);
    assertThat(stop.message()).contains("pid 1000", "did not exit after TERM and KILL");
    assertThat(supervisor.status().state()).isInstanceOf(Running.class);
    assertThat(supervisor.status().lastError().operation()).isEqualTo("stop");
    assertThat(supervisor.status().autoRestart()).isFalse();

    spawner.last().exit(137);
    assertThat(supervisor.status().state())
        .as("its late exit is recorded")
        .isInstanceOf(Stopped.class);
    time.advance(Duration.ofMinutes(5));
    assertThat(spawner.spawned).as("but not restarted").hasSize(1);
  }

  @Test
  void anAdoptedChildIsStoppedOnlyWhenForced() {
    probe.answering = new Adoptee(4242L);
    FakeSpawner.FakeProcess other = spawner.other(4242L);
    ChildSupervisor supervisor = supervisor();
    supervisor.start();

    ControlResult refused = supervisor.stop(false);
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.message()).contains("adopted", "force");
    assertThat(other.terms).isZero();
    assertThat(supervisor.status().state()).isInstanceOf(Running.class);

    probe.portHolder = 4242L;
    ControlResult forced = supervisor.stop(true);
    assertThat(forced.status()).as(forced.message()).isEqualTo(200);
    assertThat(other.terms).isEqualTo(1);
    assertThat(other.isAlive()).isFalse();
    assertThat(supervisor.status().state()).isInstanceOf(Stopped.class);
  }

  @Test
  void aForcedStopOfAnAdoptedPidThatDoesNotHoldThePortSendsNoSignal() {
    probe.answering = new Adoptee(4242L);
    FakeSpawner.FakeProcess bystander = spawner.other(4242L);
    probe.portHolder = 777L;
    probe.portFrees = false;
    ChildSupervisor supervisor = supervisor();
    supervisor.start();
    ControlResult stop = supervisor.stop(true);
    assertThat(stop.status()).isEqualTo(408);
    assertThat(stop.message()).contains("sent it no signal", "pid 4242");
    assertThat(bystander.terms).isZero();
    assertThat(bystander.isAlive()).isTrue();
  }

  @Test
  void shutdownStopsAnOwnedChildAndLeavesAnAdoptedOneRunning() {
    ChildSupervisor owned = supervisor();
    owned.start();
    owned.shutdown();
    assertThat(spawner.last().terms).isEqualTo(1);
    assertThat(spawner.last().isAlive()).isFalse();
    assertThat(owned.status().state()).isInstanceOf(Stopped.class);

    probe.answering = new Adoptee(4242L);
    FakeSpawner.FakeProcess other = spawner.other(4242L);
    probe.portHolder = 4242L;
    ChildSupervisor adopted = supervisor();
    adopted.start();
    adopted.shutdown();
    assertThat(other.terms).isZero();
    assertThat(other.isAlive()).isTrue();
    assertThat(adopted.status().state()).isInstanceOf(Running.class);
  }

  @Test
  void aRefusedStartOfAChildNotInstalledLeavesItAbsentWithTheReason() {
    probe.installed = false;
    probe.refusal = "the child command 'child' was not found on PATH";
    ChildSupervisor supervisor = supervisor(ChildSpec.Restart.NEVER, Duration.ofSeconds(5));
    assertThat(supervisor.status().state().word()).isEqualTo("absent");
    ControlResult start = supervisor.start();
    assertThat(start.status()).isEqualTo(500);
    assertThat(start.message()).contains("not found on PATH");
    assertThat(supervisor.status().state().word()).isEqualTo("absent");
    assertThat(supervisor.status().lastError().operation()).isEqualTo("start");
    assertThat(spawner.spawned).isEmpty();
  }

  @Test
  void aCommandThatCannotRunIsAFailedStartNamingIt() {
    spawner.failure = new java.io.IOException("error=2, No such file or directory");
    ChildSupervisor supervisor = supervisor();
    ControlResult start = supervisor.start();
    assertThat(start.status()).isEqualTo(500);
    assertThat(start.message()).contains("[child, --serve]", "No such file");
    assertThat(supervisor.status().state()).isInstanceOf(Stopped.class);
  }

  @Test
  void monitorNoticesAnAdoptedChildThatStoppedAnswering() {
    probe.answering = new Adoptee(4242L);
    ChildSupervisor supervisor = supervisor();
    supervisor.start();
    supervisor.monitor();
    assertThat(supervisor.status().state()).as("still answering").isInstanceOf(Running.class);

    probe.answering = null;
    probe.adoptedAnswers = false;
    supervisor.monitor();
    assertThat(supervisor.status().state()).isInstanceOf(Stopped.class);
    assertThat(supervisor.status().lastError().operation()).isEqualTo("monitor");
    assertThat(supervisor.status().lastError().message())
        .contains("adopted test child (pid 4242)", "stopped answering");
  }

  @Test
  void aRestartStopsThenStartsAndCountsIt() {
    ChildSupervisor supervisor = supervisor();
    supervisor.start();
    ControlResult restart = supervisor.restart(false);
    assertThat(restart.status()).isEqualTo(200);
    assertThat(restart.body()).containsEntry("pid", 1001L);
    assertThat(spawner.spawned.getFirst().isAlive()).isFalse();
    assertThat(supervisor.status().restarts()).isEqualTo(1);
    assertThat(supervisor.status().lastRestart().reason()).isEqualTo("restarted by user");
  }

  @Test
  void theStateFileRecordsTheOwnedChild() {
    ChildSupervisor supervisor = supervisor();
    supervisor.start();
    StateFile.Child recorded = supervisor.record();
    assertThat(recorded.pid()).isEqualTo(1000L);
    assertThat(recorded.owned()).isTrue();
    assertThat(recorded.state()).isEqualTo("running");
    assertThat(recorded.processStart()).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(recorded.url()).isEqualTo("http://127.0.0.1:9");
    supervisor.stop(false);
    assertThat(supervisor.record().pid()).isNull();
    assertThat(supervisor.record().owned()).isFalse();
  }

  @Test
  void settlingAdoptsAChildAnsweringElseRestsAsStoppedOrAbsent() {
    probe.installed = false;
    ChildSupervisor absent = supervisor(ChildSpec.Restart.NEVER, Duration.ofSeconds(5), true);
    assertThat(absent.settle()).isFalse();
    assertThat(absent.status().state().word()).isEqualTo("absent");

    probe.answering = new Adoptee(null);
    ChildSupervisor adopted = supervisor(ChildSpec.Restart.NEVER, Duration.ofSeconds(5), true);
    assertThat(adopted.settle()).isTrue();
    assertThat(adopted.status().state())
        .isInstanceOfSatisfying(
            Running.class,
            running -> assertThat(running.child().pid()).as("its pid is not known").isNull());
    assertThat(spawner.spawned).isEmpty();
  }

  @Test
  void aChildThatAdoptsLaterIsAdoptedWhenOneAppearsButOthersAreLeftAlone() {
    ChildSupervisor later = supervisor(ChildSpec.Restart.NEVER, Duration.ofSeconds(5), true);
    ChildSupervisor never = supervisor(ChildSpec.Restart.AFTER_CRASH, Duration.ofSeconds(5), false);
    later.settle();
    never.settle();
    probe.answering = new Adoptee(4242L);
    later.monitor();
    never.monitor();
    assertThat(later.status().state()).isInstanceOf(Running.class);
    assertThat(never.status().state()).isInstanceOf(Stopped.class);
  }
}
