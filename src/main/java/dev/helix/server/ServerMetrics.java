package dev.helix.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The server's Prometheus metrics: requests by route, verdicts, upstream errors by class. Meters
 * are looked up once per label set and kept: building a meter id on every request showed in
 * profiles.
 */
final class ServerMetrics {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Map<String, Timer> requests = new ConcurrentHashMap<>();
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();

  void request(String route, String method, int status, long nanos) {
    requests
        .computeIfAbsent(
            route + ' ' + method + ' ' + status,
            key ->
                Timer.builder("helix.http.requests")
                    .description("HTTP requests answered, by route, method and status")
                    .tag("route", route)
                    .tag("method", method)
                    .tag("status", String.valueOf(status))
                    .register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  void verdict(String source, String verdict) {
    counters
        .computeIfAbsent(
            "verdict " + source + ' ' + verdict,
            key ->
                Counter.builder("helix.context.verdicts")
                    .description(
                        "Retrievals by verdict (know or miss) and by who asked (proxy, context, packet)")
                    .tag("source", source)
                    .tag("verdict", verdict)
                    .register(registry))
        .increment();
  }

  void upstreamError(String kind) {
    counters
        .computeIfAbsent(
            "upstream " + kind,
            key ->
                Counter.builder("helix.upstream.errors")
                    .description(
                        "Upstream failures by class: refused, unreachable, timeout, broken, status_NNN")
                    .tag("class", kind)
                    .register(registry))
        .increment();
  }

  /** The Prometheus text exposition. */
  String scrape() {
    return registry.scrape();
  }
}
