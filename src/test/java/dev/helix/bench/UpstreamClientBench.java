package dev.helix.bench;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Same-run comparison of upstream HTTP clients (issue #18): each client POSTs the same chat
 * completion request to {@link BenchUpstream} from 1 and from 64 virtual threads, for a JSON answer
 * and for a stream of server-sent events; p50/p99 latency and CPU per request, median of the
 * rounds. Clients take turns within each round, in a rotating order, so a burst of load from
 * elsewhere on the machine hits them alike. Run by {@code bench/upstream-client/run.sh}; prints
 * Markdown.
 *
 * <p>Usage: {@code UpstreamClientBench URL [--seconds N] [--rounds N] [--clients a,b,...]}.
 */
public final class UpstreamClientBench {
  private static final int[] CONCURRENCY = {1, 64};
  private static final String[] KINDS = {"chat", "stream"};

  private UpstreamClientBench() {}

  public static void main(String[] args) throws Exception {
    System.exit(run(args));
  }

  static int run(String[] args) throws Exception {
    URI target = URI.create(args[0]).resolve("/v1/chat/completions");
    int seconds = 5;
    int rounds = 3;
    List<String> clients = List.of("helix", "apache", "jetty", "jdk");
    for (int i = 1; i < args.length; i++) {
      switch (args[i]) {
        case "--seconds" -> seconds = Integer.parseInt(args[++i]);
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--clients" -> clients = List.of(args[++i].split(","));
        default -> {
          System.err.println(
              "bench: unknown argument '"
                  + args[i]
                  + "'; use --seconds N, --rounds N, --clients a,b");
          return 2;
        }
      }
    }
    Map<String, Callers.Caller> callers = new LinkedHashMap<>();
    for (String name : clients) {
      callers.put(name, Callers.open(name, target));
    }
    try {
      for (Map.Entry<String, Callers.Caller> e : callers.entrySet()) {
        System.err.println("bench: warming up " + e.getKey());
        for (String kind : KINDS) {
          phase(e.getValue(), kind, 64, Duration.ofSeconds(4));
          phase(e.getValue(), kind, 1, Duration.ofSeconds(1));
        }
      }
      Map<String, List<Phase>> results = new LinkedHashMap<>();
      for (int round = 0; round < rounds; round++) {
        for (String kind : KINDS) {
          for (int c : CONCURRENCY) {
            for (int k = 0; k < clients.size(); k++) {
              String name = clients.get((k + round) % clients.size());
              Phase p = phase(callers.get(name), kind, c, Duration.ofSeconds(seconds));
              System.err.printf("bench: round %d %s %s c=%d: %s%n", round + 1, name, kind, c, p);
              results.computeIfAbsent(key(name, kind, c), x -> new ArrayList<>()).add(p);
            }
          }
        }
      }
      System.out.print(Report.markdown(clients, KINDS, CONCURRENCY, results));
    } finally {
      for (Callers.Caller caller : callers.values()) {
        caller.close();
      }
    }
    return 0;
  }

  static String key(String client, String kind, int concurrency) {
    return client + " " + kind + " " + concurrency;
  }

  /**
   * One timed run of one client: its requests, errors, latency percentiles and process CPU per
   * request.
   */
  record Phase(
      long requests, long errors, double rps, double p50Ms, double p99Ms, double cpuUsPerRequest) {
    @Override
    public String toString() {
      return String.format(
          "%d requests, %d errors, %.0f req/s, p50 %.3f ms, p99 %.3f ms, %.0f µs CPU per request",
          requests, errors, rps, p50Ms, p99Ms, cpuUsPerRequest);
    }
  }

  static Phase phase(Callers.Caller caller, String kind, int concurrency, Duration duration)
      throws InterruptedException {
    byte[] body = Requests.chat(kind.equals("stream"));
    boolean stream = kind.equals("stream");
    ConcurrentLinkedQueue<long[]> latencies = new ConcurrentLinkedQueue<>();
    AtomicLong errors = new AtomicLong();
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    long[] window = new long[2];
    for (int t = 0; t < concurrency; t++) {
      threads.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    long[] mine = new long[1024];
                    int n = 0;
                    try {
                      go.await();
                    } catch (InterruptedException e) {
                      return;
                    }
                    long deadline = window[0] + duration.toNanos();
                    for (long start = System.nanoTime();
                        start < deadline;
                        start = System.nanoTime()) {
                      try {
                        caller.post(body, stream);
                        if (n == mine.length) {
                          mine = Arrays.copyOf(mine, n * 2);
                        }
                        mine[n++] = System.nanoTime() - start;
                      } catch (Exception e) {
                        if (errors.getAndIncrement() == 0) {
                          System.err.println("bench: first error of this phase: " + e);
                        }
                      }
                    }
                    latencies.add(Arrays.copyOf(mine, n));
                  }));
    }
    long cpuBefore = processCpuNanos();
    window[0] = System.nanoTime();
    go.countDown();
    for (Thread thread : threads) {
      thread.join();
    }
    long elapsed = System.nanoTime() - window[0];
    long cpu = processCpuNanos() - cpuBefore;
    long[] all = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
    long requests = all.length;
    return new Phase(
        requests,
        errors.get(),
        requests * 1e9 / elapsed,
        percentile(all, 0.50) / 1e6,
        percentile(all, 0.99) / 1e6,
        requests == 0 ? 0 : cpu / 1e3 / requests);
  }

  private static double percentile(long[] sorted, double q) {
    return sorted.length == 0
        ? Double.NaN
        : sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /**
   * The request body: an OpenAI chat completion of about 2 KB, as an agent with a system prompt
   * sends.
   */
  static final class Requests {
    private Requests() {}

    static byte[] chat(boolean stream) {
      String system = "You are a coding agent working in a Java repository. ".repeat(36);
      return ("{\"model\":\"stand-in\",\"stream\":"
              + stream
              + ",\"messages\":[{\"role\":\"system\",\"content\":\""
              + system
              + "\"},{\"role\":\"user\",\"content\":\"What does UpstreamClient do, and why is it"
              + " hand-written?\"}]}")
          .getBytes(StandardCharsets.UTF_8);
    }
  }
}
