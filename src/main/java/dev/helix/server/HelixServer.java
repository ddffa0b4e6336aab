package dev.helix.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.helix.compress.Compression;
import dev.helix.compress.Tokens;
import dev.helix.config.HelixConfig;
import dev.helix.context.ContextService;
import dev.helix.context.Verdict;
import dev.helix.http.JsonResponses;
import dev.helix.http.LocalGuard;
import dev.helix.proxy.ChatProxy;
import dev.helix.text.Json;
import dev.helix.workspace.Workspace;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The helix server (docs/api.md): the composition root of its routes, on the JDK HTTP server with
 * one virtual thread per request. Owns the proxy; the {@link ContextService} stays the caller's.
 */
public final class HelixServer implements AutoCloseable {
  /** Enough for a burst of agents connecting at once; the JDK's default of 50 is tight for 64. */
  private static final int BACKLOG = 256;

  private static final Logger log = LoggerFactory.getLogger(HelixServer.class);

  private final HttpServer http;
  private final Router router;
  private final ChatProxy proxy;
  private final Compression compression;
  private final Workspace workspace;
  private final CountDownLatch stopped = new CountDownLatch(1);

  private HelixServer(
      HelixConfig config, ContextService context, String version, Clock clock, Tokens tokens)
      throws IOException {
    ObjectMapper mapper = Json.mapper();
    JsonResponses json = new JsonResponses(mapper);
    ServerMetrics metrics = new ServerMetrics();
    QueryLog queries = new QueryLog(clock);
    this.proxy =
        new ChatProxy(
            config,
            context,
            new ChatProxy.Listener() {
              @Override
              public void retrieved(Verdict verdict, long latencyMs) {
                queries.record(verdict, latencyMs);
                metrics.verdict("proxy", verdict.word());
              }

              @Override
              public void upstreamFailed(String kind) {
                metrics.upstreamError(kind);
              }
            },
            mapper);
    this.router =
        new Router(
            new LocalGuard(config.server().host(), config.server().allowedHosts()),
            new TokenCheck(config.server().token()),
            config.server().maxBodyBytes(),
            proxy,
            metrics,
            json);
    this.workspace =
        new Workspace(
            context, config.store().watch(), config.store().path().toAbsolutePath().normalize());
    new StatusRoutes(context, workspace, proxy, queries, metrics, json, version).register(router);
    new ContextRoutes(
            context,
            config.budget(),
            mapper,
            json,
            (source, verdict, latencyMs) -> {
              queries.record(verdict, latencyMs);
              metrics.verdict(source, verdict.word());
            },
            workspace::rootsChanged,
            proxy,
            tokens)
        .register(router);
    new RootRoutes(workspace, json).register(router);
    router.add(
        "POST",
        "/admin/shutdown",
        (exchange, body) -> {
          json.send(exchange, 200, Map.of("ok", true));
          Thread.ofVirtual().start(this::close);
        });
    this.compression = Compression.open(config, tokens);
    new CompressRoute(compression, mapper, json).register(router);
    try {
      this.http =
          HttpServer.create(
              new InetSocketAddress(config.server().host(), config.server().port()), BACKLOG);
    } catch (IOException e) {
      proxy.close();
      compression.close();
      workspace.close();
      throw new IOException(
          "cannot listen on "
              + config.server().host()
              + ":"
              + config.server().port()
              + " ("
              + e.getMessage()
              + "); is another helix serve running? Stop it, or set [server] port",
          e);
    }
    http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    http.createContext("/", router::handle);
    router.listeningOn(http.getAddress().getPort());
  }

  /** Binds the configured host and port and starts answering. */
  public static HelixServer start(HelixConfig config, ContextService context, String version)
      throws IOException {
    return start(config, context, version, Clock.systemUTC());
  }

  /**
   * As {@link #start(HelixConfig, ContextService, String)}, counting tokens with {@code tokens}:
   * pass the counter the context service uses, so its tables load once.
   */
  public static HelixServer start(
      HelixConfig config, ContextService context, String version, Tokens tokens)
      throws IOException {
    return start(config, context, version, Clock.systemUTC(), tokens);
  }

  /**
   * As {@link #start(HelixConfig, ContextService, String)}, with the clock that stamps {@code
   * /stats}.
   */
  public static HelixServer start(
      HelixConfig config, ContextService context, String version, Clock clock) throws IOException {
    return start(config, context, version, clock, new Tokens());
  }

  private static HelixServer start(
      HelixConfig config, ContextService context, String version, Clock clock, Tokens tokens)
      throws IOException {
    HelixServer server = new HelixServer(config, context, version, clock, tokens);
    server.http.start();
    server.workspace.start();
    log.info(
        "helix server listening on http://{}:{}, upstream {}",
        config.server().host(),
        server.port(),
        server.proxy.upstreamUrl());
    return server;
  }

  /** The port actually bound (useful with port 0). */
  public int port() {
    return http.getAddress().getPort();
  }

  /**
   * What answers every request behind the socket; fuzz targets call it in-process, without HTTP.
   */
  HttpHandler handler() {
    return router::handle;
  }

  /** Blocks until {@code POST /admin/shutdown} or {@link #close()}. */
  public void awaitShutdown() throws InterruptedException {
    stopped.await();
  }

  @Override
  public void close() {
    synchronized (stopped) {
      if (stopped.getCount() == 0) {
        return;
      }
      http.stop(0);
      workspace.close();
      proxy.close();
      compression.close();
      stopped.countDown();
    }
  }
}
