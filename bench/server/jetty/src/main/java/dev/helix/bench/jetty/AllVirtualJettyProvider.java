package dev.helix.bench.jetty;

import org.eclipse.jetty.http.spi.DelegatingThreadPool;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Jetty 12 behind {@code com.sun.net.httpserver} as Jetty's stock provider sets it up: the executor
 * helix passes to {@code setExecutor} (one virtual thread per task) replaces Jetty's pool for all
 * of its work, selector loops included. Only the binding moved (see {@link VirtualThreadsJettyProvider}).
 */
public final class AllVirtualJettyProvider extends VirtualThreadsJettyProvider {
  @Override
  DelegatingThreadPool threadPool() {
    return new DelegatingThreadPool(new QueuedThreadPool());
  }
}
