package dev.helix.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.helix.config.HelixConfig;
import dev.helix.store.StoreUnavailableException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpeningContextServiceTest {
  @TempDir Path dir;

  @Test
  void storeIsNotReadyWhileItOpensAndAnswersOnceOpen() throws Exception {
    HelixConfig config = TestConfigs.store(dir, false, 1_000_000);
    TestConfigs.write(
        dir.resolve("tree/Notes.md"),
        "# Deploys\n\nThe deploy script rolls back on a failed health check.\n");
    CountDownLatch release = new CountDownLatch(1);
    try (ContextService service =
        new OpeningContextService(
            dir.resolve("store"),
            () -> {
              await(release);
              return ContextServices.open(config);
            })) {
      assertThat(service.ready()).isFalse();
      assertThat(service.openError()).isNull();
      release.countDown();
      IngestReport report = service.ingest(List.of(dir.resolve("tree")), IngestProgress.NONE);
      assertThat(report.files()).isEqualTo(1);
      assertThat(service.ready()).isTrue();
      assertThat(service.stats().chunks()).isEqualTo(1);
    }
  }

  @Test
  void aFailedOpenIsReportedAndFailsEveryCallWithItsReason() throws Exception {
    try (ContextService service =
        new OpeningContextService(
            dir.resolve("store"),
            () -> {
              throw new IOException(
                  "the store at "
                      + dir
                      + " is already open for writing by another process (pid 7)");
            })) {
      assertThatThrownBy(service::stats)
          .isInstanceOf(IOException.class)
          .hasMessageContaining("pid 7");
      assertThat(service.ready()).isFalse();
      assertThat(service.openError()).contains("already open for writing", "pid 7");
    }
  }

  @Test
  void aClusterThatIsAwayAtStartIsTriedAgainAndCallsFailFastNamingItMeanwhile() throws Exception {
    HelixConfig config = TestConfigs.store(dir, false, 1_000_000);
    CountDownLatch back = new CountDownLatch(1);
    AtomicInteger tries = new AtomicInteger();
    try (ContextService service =
        new OpeningContextService(
            dir.resolve("store"),
            () -> {
              tries.incrementAndGet();
              if (back.getCount() > 0) {
                throw new StoreUnavailableException(
                    "http://cluster.example:9200",
                    "the OpenSearch cluster at http://cluster.example:9200 is unreachable");
              }
              return ContextServices.open(config);
            },
            Duration.ofMillis(20))) {
      while (tries.get() < 2) {
        Thread.sleep(5);
      }
      assertThatThrownBy(service::stats)
          .isInstanceOf(StoreUnavailableException.class)
          .hasMessageContaining("http://cluster.example:9200 is unreachable");
      assertThat(service.ready()).isFalse();
      assertThat(service.openError())
          .contains("cannot be opened yet")
          .contains("http://cluster.example:9200");

      back.countDown();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!service.ready() && System.nanoTime() < deadline) {
        Thread.sleep(5); // the next try, 20 ms on, opens
      }
      assertThat(service.ready()).isTrue();
      assertThat(service.stats().chunks()).isZero();
      assertThat(service.openError()).isNull();
    }
  }

  @Test
  void theServerEntryPointOpensTheConfiguredStore() throws Exception {
    HelixConfig config = TestConfigs.store(dir, false, 1_000_000);
    try (ContextService service = ContextServices.openInBackground(config)) {
      assertThat(service.stats().chunks()).isZero();
      assertThat(service.ready()).isTrue();
    }
  }

  private static void await(CountDownLatch latch) throws IOException {
    try {
      if (!latch.await(30, TimeUnit.SECONDS)) {
        throw new IOException("the test never released the open");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }
}
