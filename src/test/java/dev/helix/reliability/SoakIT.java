package dev.helix.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.helix.reliability.UpstreamFaultIT.Fault;
import dev.helix.testing.StandIn;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A soak of a real {@code helix serve}: 16 clients chatting (plain, streamed, trickled) for {@code
 * -Dhelix.soak.minutes} minutes with 5% of the calls hitting an upstream fault. Skipped unless that
 * property is set: it is {@code bench/soak/run.sh}, not CI. Resident memory, threads and open files
 * are sampled once a warm-up fifth of the run is over and at the end.
 */
class SoakIT {
  private static final List<Fault> HEALTHY =
      List.of(Fault.NONE_PLAIN, Fault.NONE_STREAM, Fault.TRICKLE_WITHIN_TIMEOUT);
  private static final List<Fault> FAULTS =
      List.of(
          Fault.RESET_BEFORE_HEADERS,
          Fault.RESET_MID_STREAM,
          Fault.TIMEOUT_BEFORE_HEADERS,
          Fault.STALL_MID_STREAM,
          Fault.JSON_429,
          Fault.HTML_503,
          Fault.MALFORMED_JSON_200,
          Fault.MALFORMED_JSON_500,
          Fault.LARGE_STREAM);

  @TempDir Path dir;

  @Test
  void hoursOfMixedTrafficWithFaultsKeepMemoryFilesAndThreadsFlat() throws Exception {
    String minutesProperty = System.getProperty("helix.soak.minutes");
    assumeTrue(
        minutesProperty != null,
        "the soak runs only from bench/soak/run.sh (-Dhelix.soak.minutes=N)");
    double minutes = Double.parseDouble(minutesProperty);
    // A daemon's heap is bounded in production; with the JVM's default (a quarter of RAM) G1 keeps
    // growing the heap for minutes, and resident memory with it, without anything being leaked.
    // The heap is touched up front (AlwaysPreTouch), so what grows after the warm-up is a leak.
    String heap = System.getProperty("helix.soak.heap", "256m");
    long start = System.nanoTime();
    long end = start + (long) (minutes * 60e9);
    long warm = start + (long) (minutes * 60e9 / 5);
    AtomicLong calls = new AtomicLong();
    AtomicLong faults = new AtomicLong();
    List<String> wrong = Collections.synchronizedList(new ArrayList<>());
    try (StandIn upstream = StandIn.start();
        ServeProcess helix =
            ServeProcess.start(
                dir,
                "upstream = \"" + upstream.url() + "\"\nupstream_timeout = 2\n",
                heap.isEmpty()
                    ? Map.of()
                    : Map.of(
                        "JAVA_TOOL_OPTIONS",
                        "-Xms" + heap + " -Xmx" + heap + " -XX:+AlwaysPreTouch"));
        HttpClient client = UpstreamFaultIT.client();
        ExecutorService pool = Executors.newFixedThreadPool(16)) {
      long[] first = new long[3];
      List<Future<?>> workers = new ArrayList<>();
      for (int w = 0; w < 16; w++) {
        Random random = new Random(w);
        workers.add(
            pool.submit(
                () -> {
                  for (int i = 0; System.nanoTime() < end && wrong.size() < 10; i++) {
                    boolean fault = random.nextInt(100) < 5;
                    Fault kind =
                        fault
                            ? FAULTS.get(random.nextInt(FAULTS.size()))
                            : HEALTHY.get(random.nextInt(HEALTHY.size()));
                    try {
                      HttpResponse<String> r =
                          client.send(
                              UpstreamFaultIT.chat(
                                  helix.port,
                                  UpstreamFaultIT.body(kind.stream, kind.script(random.nextInt()))),
                              HttpResponse.BodyHandlers.ofString());
                      UpstreamFaultIT.Outcome o = kind.judge(r.statusCode(), r.body());
                      if (o.problem() != null) {
                        wrong.add(kind + ": " + o.problem() + " " + o.detail());
                      }
                    } catch (Exception e) {
                      wrong.add(kind + ": " + e);
                    }
                    calls.incrementAndGet();
                    if (fault) {
                      faults.incrementAndGet();
                    }
                  }
                  return null;
                }));
      }
      while (System.nanoTime() < warm) {
        Thread.sleep(200);
      }
      first = sample(helix);
      long liveBefore = liveHeapKib(helix);
      long[] peak = first.clone();
      List<Long> series = new ArrayList<>();
      while (System.nanoTime() < end) {
        Thread.sleep(5000);
        long[] now = sample(helix);
        series.add(now[0] / 1024);
        for (int i = 0; i < 3; i++) {
          peak[i] = Math.max(peak[i], now[i]);
        }
      }
      for (Future<?> f : workers) {
        f.get(2, TimeUnit.MINUTES);
      }
      Thread.sleep(3000);
      long[] last = sample(helix);
      long liveAfter = liveHeapKib(helix);
      double growth = 100.0 * (last[0] - first[0]) / first[0];
      System.out.printf(
          "soak: %.1f min, heap %s, %d calls, %d faults injected, %d wrong answers; resident memory %d -> %d KiB"
              + " (%+.1f%%, peak %d), live heap after a full GC %d -> %d KiB, threads %d -> %d (peak %d),"
              + " open files %d -> %d (peak %d)%n",
          minutes,
          heap.isEmpty() ? "JVM default" : heap,
          calls.get(),
          faults.get(),
          wrong.size(),
          first[0],
          last[0],
          growth,
          peak[0],
          liveBefore,
          liveAfter,
          first[1],
          last[1],
          peak[1],
          first[2],
          last[2],
          peak[2]);
      System.out.println("soak: resident MB every 5 s after the warm-up: " + series);
      assertThat(wrong).isEmpty();
      assertThat(growth).as("resident memory growth after warm-up, %").isLessThan(10.0);
      assertThat(last[1]).as("threads").isLessThanOrEqualTo(first[1] + 8);
      assertThat(last[2]).as("open files").isLessThanOrEqualTo(first[2] + 24);
    }
  }

  /**
   * The server's heap in use right after a full GC (jcmd GC.run, then GC.heap_info): what is live.
   */
  private static long liveHeapKib(ServeProcess helix) throws Exception {
    Path jcmd = Path.of(dev.helix.testing.HelixRun.java()).resolveSibling("jcmd");
    String pid = String.valueOf(helix.process.pid());
    new ProcessBuilder(jcmd.toString(), pid, "GC.run")
        .redirectErrorStream(true)
        .start()
        .waitFor(60, TimeUnit.SECONDS);
    Process info =
        new ProcessBuilder(jcmd.toString(), pid, "GC.heap_info").redirectErrorStream(true).start();
    String out =
        new String(info.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("used (\\d+)K").matcher(out);
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  /** Resident KiB, threads and open files of the server, from /proc. */
  private static long[] sample(ServeProcess helix) throws Exception {
    long pid = helix.process.pid();
    long rss = 0;
    long threads = 0;
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        rss = Long.parseLong(line.replaceAll("[^0-9]", ""));
      } else if (line.startsWith("Threads:")) {
        threads = Long.parseLong(line.substring(8).trim());
      }
    }
    try (var fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
      return new long[] {rss, threads, fds.count()};
    }
  }
}
