package dev.helix.proxy;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.jspecify.annotations.Nullable;

/**
 * A small HTTP/1.1 client on pooled blocking sockets, for calls to the LLM upstream. It exists
 * because the JDK {@code HttpClient} hands every exchange between its selector thread and
 * completable futures, which cost the proxy two thirds of its throughput; on virtual threads a
 * blocking socket read is cheap, so the plain loop here is both simpler and faster.
 *
 * <p>Failures use the exception types {@link UpstreamFailure#of} classifies: a connect timeout is
 * an {@link HttpConnectTimeoutException}, no headers in time an {@link HttpTimeoutException}, a
 * refused port the socket's own {@link java.net.ConnectException}, an unknown host an {@link
 * java.net.UnknownHostException}.
 */
final class UpstreamClient implements AutoCloseable {
  /**
   * The largest status line plus header section accepted, so a broken upstream cannot fill memory.
   */
  static final int MAX_HEADER_BYTES = 64 * 1024;

  /**
   * Idle connections kept per origin; more than the proxy's usual concurrency, so bursts reuse
   * them.
   */
  static final int MAX_IDLE_PER_ORIGIN = 64;

  /**
   * How long an idle connection stays pooled: below the 5 s keep-alive timeout of uvicorn and other
   * Python servers, so the pool rarely hands out a connection the server is just closing.
   */
  static final Duration MAX_IDLE = Duration.ofSeconds(4);

  private final Duration connectTimeout;
  private final Supplier<SSLSocketFactory> tlsSource;
  private final Clock clock;
  private final Map<Origin, Idle> idle = new ConcurrentHashMap<>();
  private volatile @Nullable SSLSocketFactory tls;
  private volatile boolean closed;

  /**
   * @param tls asked for the TLS socket factory at the first https call only: loading the TLS stack
   *     costs about a second of CPU that a server answering plain-http calls never needs
   */
  UpstreamClient(Duration connectTimeout, Supplier<SSLSocketFactory> tls, Clock clock) {
    this.connectTimeout = connectTimeout;
    this.tlsSource = tls;
    this.clock = clock;
  }

  /** The JVM's default TLS setup (system trust store), for production. */
  static Supplier<SSLSocketFactory> defaultTls() {
    return () -> {
      try {
        return SSLContext.getDefault().getSocketFactory();
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(
            "this JVM has no default TLS context; check its security setup", e);
      }
    };
  }

  /**
   * Sends one request and returns once the response's status line and headers are in (interim 1xx
   * responses other than 101 are skipped). The caller must close the response.
   *
   * @param headers sent as given, in order; {@code Host}, {@code Content-Length} and {@code
   *     Transfer-Encoding} are the client's own and refused here
   * @param body null for none; POST, PUT and PATCH without one send {@code Content-Length: 0}
   * @param headersTimeout a deadline for the whole wait from now until the headers are in
   * @throws IllegalArgumentException for a method, header name or value that would break the
   *     request framing, before anything is sent
   */
  UpstreamResponse send(
      String method,
      URI target,
      List<Map.Entry<String, String>> headers,
      byte @Nullable [] body,
      Duration headersTimeout)
      throws IOException {
    Origin origin = Origin.of(target);
    byte[] head = requestHead(method, target, origin, headers, body);
    long deadline = clock.millis() + Math.max(1, headersTimeout.toMillis());
    boolean noBody = method.equals("HEAD");
    Connection pooled = take(origin);
    if (pooled != null) {
      try {
        return exchange(pooled, head, body, noBody, deadline, headersTimeout);
      } catch (StaleConnection stale) {
        // Stale keep-alive: a pooled connection that fails before any byte of an answer came back
        // was almost always closed by the server while it sat idle, so the request never reached
        // it; send it once more on a fresh connection (a failure there is real and reported). A
        // server that read the request and then died would see it twice: the same trade browsers
        // and the JDK client make, and chat completions have no side effect a retry could double.
        pooled.close();
      }
    }
    Connection fresh = open(origin);
    try {
      return exchange(fresh, head, body, noBody, deadline, headersTimeout);
    } catch (StaleConnection e) {
      throw new IOException(
          "upstream " + origin + " closed the connection before answering", e.getCause());
    }
  }

  private UpstreamResponse exchange(
      Connection c,
      byte[] head,
      byte @Nullable [] body,
      boolean noBody,
      long deadline,
      Duration headersTimeout)
      throws IOException {
    c.prepareForRequest();
    try {
      try {
        c.out.write(head);
        if (body != null) {
          c.out.write(body);
        }
        c.out.flush();
      } catch (IOException e) {
        throw c.reused ? new StaleConnection(e) : e;
      }
      UpstreamResponse.Wait reader =
          () -> {
            long left = deadline - clock.millis();
            if (left <= 0) {
              throw headersTimeout(headersTimeout);
            }
            return (int) Math.min(left, Integer.MAX_VALUE);
          };
      try {
        return UpstreamResponse.read(this, c, noBody, reader);
      } catch (SocketTimeoutException e) {
        throw headersTimeout(headersTimeout);
      } catch (IOException e) {
        if (c.reused && c.received == 0 && !(e instanceof HttpTimeoutException)) {
          throw new StaleConnection(e);
        }
        throw e;
      }
    } catch (IOException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  private static HttpTimeoutException headersTimeout(Duration timeout) {
    return new HttpTimeoutException(
        "upstream sent no response headers within " + timeout.toMillis() + " ms");
  }

  private Connection open(Origin origin) throws IOException {
    if (closed) {
      throw new IOException(
          "the upstream client is closed; no new calls are made while helix shuts down");
    }
    long start = clock.millis();
    int timeout = (int) Math.max(1, Math.min(connectTimeout.toMillis(), Integer.MAX_VALUE));
    Socket raw = new Socket();
    try {
      raw.setTcpNoDelay(true);
      try {
        raw.connect(new InetSocketAddress(origin.address(), origin.port()), timeout);
      } catch (SocketTimeoutException e) {
        throw connectTimeout(origin);
      }
      if (!origin.tls()) {
        return new Connection(origin, raw, raw);
      }
      SSLSocket ssl = (SSLSocket) tls().createSocket(raw, origin.address(), origin.port(), true);
      SSLParameters parameters = ssl.getSSLParameters();
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
      parameters.setApplicationProtocols(new String[] {"http/1.1"});
      // SNI carries host names only; RFC 6066 forbids IP literals in it.
      if (!origin.ipLiteral()) {
        parameters.setServerNames(List.of(new SNIHostName(origin.address())));
      }
      ssl.setSSLParameters(parameters);
      try {
        ssl.setSoTimeout((int) Math.max(1, timeout - (clock.millis() - start)));
        ssl.startHandshake();
      } catch (SocketTimeoutException e) {
        ssl.close();
        throw connectTimeout(origin);
      }
      return new Connection(origin, raw, ssl);
    } catch (IOException | RuntimeException e) {
      raw.close();
      throw e;
    }
  }

  private HttpConnectTimeoutException connectTimeout(Origin origin) {
    return new HttpConnectTimeoutException(
        "connecting to upstream "
            + origin
            + " took longer than "
            + connectTimeout.toMillis()
            + " ms");
  }

  private SSLSocketFactory tls() {
    SSLSocketFactory factory = tls;
    if (factory == null) {
      factory = tlsSource.get();
      tls = factory;
    }
    return factory;
  }

  /** The most recently used live connection to {@code origin}, or null; stale ones are closed. */
  private @Nullable Connection take(Origin origin) {
    Idle connections = idle.get(origin);
    return connections == null ? null : connections.take(clock.millis());
  }

  /** Pools a connection whose response was read to its end and allows another request. */
  void release(Connection c) {
    if (closed || c.available() > 0) {
      c.close();
      return;
    }
    c.idleSince = clock.millis();
    idle.computeIfAbsent(c.origin, o -> new Idle()).put(c);
    if (closed) {
      close(); // raced with close(): nothing may stay pooled
    }
  }

  @Override
  public void close() {
    closed = true;
    idle.values().forEach(Idle::closeAll);
  }

  /**
   * One origin's idle connections, most recently used first. A plain deque under a lock: its size
   * is read on every release, which a concurrent deque can only count by walking it.
   */
  private static final class Idle {
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Connection> connections = new ArrayDeque<>();

    @Nullable Connection take(long now) {
      List<Connection> expired = new ArrayList<>(0);
      Connection live = null;
      lock.lock();
      try {
        Connection c = connections.pollFirst();
        if (c != null && now - c.idleSince < MAX_IDLE.toMillis()) {
          live = c;
        } else if (c != null) {
          // Most recent first: everything behind an expired connection is older still.
          expired.add(c);
          expired.addAll(connections);
          connections.clear();
        }
      } finally {
        lock.unlock();
      }
      expired.forEach(Connection::close);
      if (live != null) {
        live.reused = true;
      }
      return live;
    }

    void put(Connection c) {
      List<Connection> dropped = new ArrayList<>(0);
      lock.lock();
      try {
        if (connections.size() >= MAX_IDLE_PER_ORIGIN) {
          dropped.add(c);
        } else {
          connections.addFirst(c);
        }
        // Expired connections at the cold end go too, so a quiet origin does not keep them open.
        for (Connection old = connections.peekLast();
            old != null && c.idleSince - old.idleSince >= MAX_IDLE.toMillis();
            old = connections.peekLast()) {
          dropped.add(connections.pollLast());
        }
      } finally {
        lock.unlock();
      }
      dropped.forEach(Connection::close);
    }

    void closeAll() {
      List<Connection> all;
      lock.lock();
      try {
        all = new ArrayList<>(connections);
        connections.clear();
      } finally {
        lock.unlock();
      }
      all.forEach(Connection::close);
    }
  }

  private static byte[] requestHead(
      String method,
      URI target,
      Origin origin,
      List<Map.Entry<String, String>> headers,
      byte @Nullable [] body) {
    if (!isToken(method)) {
      throw new IllegalArgumentException(
          "HTTP method '" + method + "' is not a token; use a method such as POST");
    }
    String path =
        target.getRawPath() == null || target.getRawPath().isEmpty() ? "/" : target.getRawPath();
    StringBuilder head = new StringBuilder(256).append(method).append(' ').append(path);
    if (target.getRawQuery() != null) {
      head.append('?').append(target.getRawQuery());
    }
    head.append(" HTTP/1.1\r\nHost: ").append(origin.hostHeader()).append("\r\n");
    for (Map.Entry<String, String> header : headers) {
      String name = header.getKey();
      String value = header.getValue();
      if (!isToken(name)) {
        throw new IllegalArgumentException(
            "header name '" + name + "' is not an HTTP token; remove or rename it");
      }
      String lower = name.toLowerCase(Locale.ROOT);
      if (lower.equals("host")
          || lower.equals("content-length")
          || lower.equals("transfer-encoding")) {
        throw new IllegalArgumentException(
            "header " + name + " is set by the upstream client itself; do not pass it");
      }
      for (int i = 0; i < value.length(); i++) {
        char ch = value.charAt(i);
        if (ch == '\r' || ch == '\n' || ch == 0 || ch > 0xFF) {
          throw new IllegalArgumentException(
              "header "
                  + name
                  + " has a value with a line break, NUL or a character"
                  + " beyond Latin-1 (position "
                  + i
                  + "); such a value would break or smuggle the request");
        }
      }
      head.append(name).append(": ").append(value).append("\r\n");
    }
    if (body != null) {
      head.append("Content-Length: ").append(body.length).append("\r\n");
    } else if (method.equals("POST") || method.equals("PUT") || method.equals("PATCH")) {
      head.append("Content-Length: 0\r\n");
    }
    return head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  static boolean isToken(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch >= TOKEN_CHARS.length || !TOKEN_CHARS[ch]) {
        return false;
      }
    }
    return true;
  }

  /** RFC 9110 §5.6.2 tchar, as a table: every forwarded header name is checked on every call. */
  private static final boolean[] TOKEN_CHARS = new boolean[128];

  static {
    for (char ch = 0; ch < 128; ch++) {
      TOKEN_CHARS[ch] =
          (ch >= 'a' && ch <= 'z')
              || (ch >= 'A' && ch <= 'Z')
              || (ch >= '0' && ch <= '9')
              || "!#$%&'*+-.^_`|~".indexOf(ch) >= 0;
    }
  }

  /** Where connections go and may be shared: scheme, host and port. */
  record Origin(boolean tls, String host, int port) {
    static Origin of(URI target) {
      String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        throw new IllegalArgumentException(
            "upstream URL " + target + " is not http or https; use an http(s):// URL");
      }
      if (target.getHost() == null) {
        throw new IllegalArgumentException(
            "upstream URL " + target + " has no host; use http://host:port/...");
      }
      boolean tls = scheme.equals("https");
      int port = target.getPort() != -1 ? target.getPort() : tls ? 443 : 80;
      return new Origin(tls, target.getHost(), port);
    }

    // Written out: the pool looks an origin up twice per call, and the generated record methods
    // showed up in the proxy's profile.
    @Override
    public boolean equals(@Nullable Object o) {
      return o instanceof Origin other
          && tls == other.tls
          && port == other.port
          && host.equals(other.host);
    }

    @Override
    public int hashCode() {
      return host.hashCode() * 31 + port + (tls ? 1 : 0);
    }

    /** The host without the brackets an IPv6 literal has in a URL. */
    String address() {
      return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    boolean ipLiteral() {
      return host.startsWith("[")
          || host.chars().allMatch(ch -> ch == '.' || (ch >= '0' && ch <= '9'));
    }

    String hostHeader() {
      return port == (tls ? 443 : 80) ? host : host + ":" + port;
    }

    @Override
    public String toString() {
      return (tls ? "https://" : "http://") + host + ":" + port;
    }
  }

  /**
   * One socket with its own read buffer, so a read returns whatever arrived and nothing waits to
   * fill it.
   */
  static final class Connection {
    final Origin origin;
    private final Socket raw;
    private final Socket socket;
    private final InputStream in;
    final OutputStream out;
    final byte[] buffer = new byte[16 * 1024];
    int position;
    int limit;

    /** Bytes received since this connection's current request was sent. */
    long received;

    boolean reused;
    long idleSince;

    Connection(Origin origin, Socket raw, Socket socket) throws IOException {
      this.origin = origin;
      this.raw = raw;
      this.socket = socket;
      this.in = socket.getInputStream();
      this.out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
    }

    int available() {
      return limit - position;
    }

    /**
     * Reads what has arrived into the empty buffer, waiting at most {@code timeoutMillis}; -1 at
     * EOF.
     */
    int fill(int timeoutMillis) throws IOException {
      socket.setSoTimeout(Math.max(1, timeoutMillis));
      position = 0;
      limit = 0;
      int n = in.read(buffer);
      if (n > 0) {
        limit = n;
        received += n;
      }
      return n;
    }

    void prepareForRequest() {
      received = 0;
    }

    /** Closes the socket; safe from any thread, and unblocks a read in progress. */
    void close() {
      // The plain socket first: closing a TLS socket may wait for a lock its blocked reader holds.
      try {
        raw.close();
      } catch (IOException ignored) {
        // already broken; nothing more to release
      }
      try {
        socket.close();
      } catch (IOException ignored) {
        // already broken; nothing more to release
      }
    }
  }

  /** A reused connection failed before any byte of an answer: the server closed it while idle. */
  private static final class StaleConnection extends IOException {
    StaleConnection(IOException cause) {
      super(cause);
    }
  }
}
