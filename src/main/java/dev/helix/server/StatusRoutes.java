package dev.helix.server;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.sun.net.httpserver.HttpExchange;
import dev.helix.context.ContextService;
import dev.helix.context.RootStatus;
import dev.helix.context.StoreStats;
import dev.helix.http.JsonResponses;
import dev.helix.proxy.ChatProxy;
import dev.helix.workspace.Workspace;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /health}, {@code /stats} and {@code /metrics}: what the launcher and dashboards read.
 */
final class StatusRoutes {
  private static final Logger log = LoggerFactory.getLogger(StatusRoutes.class);

  private final ContextService context;
  private final Workspace workspace;
  private final ChatProxy proxy;
  private final QueryLog queries;
  private final ServerMetrics metrics;
  private final JsonResponses json;
  private final String version;

  StatusRoutes(
      ContextService context,
      Workspace workspace,
      ChatProxy proxy,
      QueryLog queries,
      ServerMetrics metrics,
      JsonResponses json,
      String version) {
    this.context = context;
    this.workspace = workspace;
    this.proxy = proxy;
    this.queries = queries;
    this.metrics = metrics;
    this.json = json;
    this.version = version;
  }

  void register(Router router) {
    router
        .add("GET", "/health", this::health)
        .add("GET", "/stats", this::stats)
        .add("GET", "/metrics", this::metrics);
  }

  /**
   * {@code GET /health}'s {@code store}: {@code ready} and {@code chunks} always; a ready store's
   * {@code roots, pending, watching, index_version, warnings}; else {@code opening} or {@code
   * error}.
   */
  @JsonPropertyOrder({
    "ready",
    "chunks",
    "roots",
    "pending",
    "watching",
    "index_version",
    "warnings",
    "opening",
    "error"
  })
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record StoreHealth(
      boolean ready,
      long chunks,
      @Nullable Long roots,
      @Nullable Long pending,
      @Nullable Boolean watching,
      @Nullable Long indexVersion,
      @Nullable List<String> warnings,
      @Nullable Boolean opening,
      @Nullable String error) {
    static StoreHealth failed(@Nullable String error) {
      return new StoreHealth(false, 0, null, null, null, null, null, null, error);
    }
  }

  /**
   * {@code GET /health}'s {@code upstream}: where it is, and whether the last probe got an answer.
   */
  record UpstreamHealth(String url, boolean reachable) {}

  /** {@code GET /health}: {@code {service, version, pid, status, store, upstream}}. */
  record Health(
      String service,
      String version,
      long pid,
      String status,
      StoreHealth store,
      UpstreamHealth upstream) {}

  /**
   * Always 200: {@code status} says {@code degraded} when the store cannot answer, including while
   * it still opens ({@code store.ready = false, store.opening = true}). The upstream's reachability
   * comes from a background probe, so a hanging upstream never slows this answer.
   */
  private void health(HttpExchange exchange, byte[] body) throws IOException {
    StoreHealth store;
    String openError = context.openError();
    if (openError != null) {
      store = StoreHealth.failed(openError);
    } else if (!context.ready()) {
      // Still opening (a big store in a fresh JVM takes seconds): say so rather than wait.
      store = new StoreHealth(false, 0, null, null, null, null, null, true, null);
    } else {
      try {
        long chunks = context.stats().chunks();
        long roots = context.roots().size();
        store =
            new StoreHealth(
                true,
                chunks,
                roots,
                workspace.pending(),
                workspace.watching(),
                context.indexVersion(),
                workspace.warnings(),
                null,
                null);
      } catch (IOException | RuntimeException e) {
        log.warn("health: the store cannot report its totals: {}", e.toString());
        store = StoreHealth.failed(e.getMessage() == null ? e.toString() : e.getMessage());
      }
    }
    json.send(
        exchange,
        200,
        new Health(
            "helix",
            version,
            ProcessHandle.current().pid(),
            store.ready() ? "ok" : "degraded",
            store,
            new UpstreamHealth(proxy.upstreamUrl(), proxy.upstreamReachable())));
  }

  /**
   * {@code GET /stats}: the store's totals at the top level, its roots, and the retrievals
   * answered.
   */
  record Stats(@JsonUnwrapped StoreStats store, List<RootStatus> roots, QueryLog.Snapshot queries) {
    Stats {
      roots = List.copyOf(roots);
    }
  }

  /**
   * The store's totals at the top level, plus {@code roots[]} and {@code queries{total, know, miss,
   * recent[]}}.
   */
  private void stats(HttpExchange exchange, byte[] body) throws IOException {
    StoreStats stats;
    try {
      stats = context.stats();
    } catch (IOException e) {
      throw new ApiException(
          500, "the store cannot report its totals: " + e.getMessage(), null, "store_error");
    }
    json.send(exchange, 200, new Stats(stats, RootRoutes.statuses(workspace), queries.snapshot()));
  }

  private void metrics(HttpExchange exchange, byte[] body) throws IOException {
    byte[] text = metrics.scrape().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    exchange.sendResponseHeaders(200, text.length == 0 ? -1 : text.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(text);
    }
  }
}
