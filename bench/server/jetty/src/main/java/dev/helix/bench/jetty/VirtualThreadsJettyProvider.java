package dev.helix.bench.jetty;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsServer;
import com.sun.net.httpserver.spi.HttpServerProvider;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Executor;
import org.eclipse.jetty.http.spi.DelegatingThreadPool;
import org.eclipse.jetty.http.spi.JettyHttpServer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Jetty 12 behind {@code com.sun.net.httpserver}, set up the way Jetty runs virtual threads: its
 * selectors and acceptor on its own pooled platform threads, each request's (blocking) handler on
 * the virtual-thread executor helix passes to {@code setExecutor}.
 *
 * <p>Why not Jetty's own {@code JettyHttpServerProvider}: in 12.1.14 it binds the connector only in
 * {@code start()}, but its {@code setExecutor} already starts the server, so with helix's unchanged
 * {@code HelixServer} (which sets the executor first) the connector is added to a running server
 * and never opened: nothing listens (and with port 0, {@code getAddress()} throws). Binding at
 * creation, as here, is the one difference; {@link AllVirtualJettyProvider} keeps the rest of the
 * stock set-up.
 */
public class VirtualThreadsJettyProvider extends HttpServerProvider {
  @Override
  public HttpServer createHttpServer(InetSocketAddress address, int backlog) throws IOException {
    Server server = new Server(threadPool());
    server.setHandler(new ContextHandlerCollection(true));
    JettyHttpServer http = new JettyHttpServer(server, false);
    if (address != null) {
      http.bind(address, backlog);
    }
    return http;
  }

  @Override
  public HttpsServer createHttpsServer(InetSocketAddress address, int backlog) {
    throw new UnsupportedOperationException("the bench serves plain http only; use the JDK provider for https");
  }

  /** The pool whose {@code setExecutor} receives helix's executor. */
  DelegatingThreadPool threadPool() {
    QueuedThreadPool platform = new QueuedThreadPool();
    platform.setName("jetty");
    return new HandlerExecutorOnly(platform);
  }

  /** Keeps Jetty's platform pool and makes the executor it is given the one for handlers only. */
  private static final class HandlerExecutorOnly extends DelegatingThreadPool {
    private final QueuedThreadPool platform;

    HandlerExecutorOnly(QueuedThreadPool platform) {
      super(platform);
      this.platform = platform;
    }

    @Override
    public void setExecutor(Executor executor) {
      platform.setVirtualThreadsExecutor(executor);
    }
  }
}
