package dev.helix.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UpstreamClientTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  private final List<AutoCloseable> cleanup = new ArrayList<>();
  private final UpstreamClient client =
      closing(
          new UpstreamClient(
              Duration.ofSeconds(2), UpstreamClient.defaultTls(), Clock.systemUTC()));

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : cleanup.reversed()) {
      c.close();
    }
  }

  @Test
  void contentLengthBodyIsReadWholeAndTheRequestArrivesIntact() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    URI uri =
        jdkServer(
            exchange -> {
              byte[] in = exchange.getRequestBody().readAllBytes();
              seen.add(
                  exchange.getRequestMethod()
                      + " "
                      + exchange.getRequestURI()
                      + " "
                      + exchange.getRequestHeaders().getFirst("Authorization")
                      + " "
                      + exchange.getRequestHeaders().getFirst("Host")
                      + " "
                      + new String(in, StandardCharsets.UTF_8));
              byte[] out = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
              exchange.getResponseHeaders().set("X-Request-Id", "req-1");
              exchange.sendResponseHeaders(201, out.length);
              exchange.getResponseBody().write(out);
              exchange.close();
            });
    try (UpstreamResponse response =
        client.send(
            "POST",
            uri.resolve("/v1/chat?x=a%20b"),
            List.of(Map.entry("Authorization", "Bearer sk-1")),
            "{\"q\":1}".getBytes(StandardCharsets.UTF_8),
            WAIT)) {
      assertThat(response.status()).isEqualTo(201);
      assertThat(response.headers().get("x-request-id")).containsExactly("req-1");
      assertThat(text(response.readAll(WAIT, 1 << 20))).isEqualTo("{\"ok\":true}");
    }
    assertThat(seen)
        .containsExactly(
            "POST /v1/chat?x=a%20b Bearer sk-1 127.0.0.1:" + uri.getPort() + " {\"q\":1}");
  }

  @Test
  void chunkedBodyIsDecodedAndKeptWithinTheLimit() throws Exception {
    URI uri =
        jdkServer(
            exchange -> {
              exchange.sendResponseHeaders(200, 0);
              try (OutputStream out = exchange.getResponseBody()) {
                out.write("abc".getBytes(StandardCharsets.UTF_8));
                out.flush();
                out.write("defgh".getBytes(StandardCharsets.UTF_8));
              }
            });
    try (UpstreamResponse response = client.send("GET", uri, List.of(), null, WAIT)) {
      assertThat(response.headers().get("transfer-encoding")).containsExactly("chunked");
      assertThat(text(response.readAll(WAIT, 6))).isEqualTo("abcdef");
    }
  }

  @Test
  void eventStreamPieceIsHandedOverBeforeTheServerSendsTheNext() throws Exception {
    CountDownLatch firstRead = new CountDownLatch(1);
    URI uri =
        jdkServer(
            exchange -> {
              exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
              exchange.sendResponseHeaders(200, 0);
              try (OutputStream out = exchange.getResponseBody()) {
                out.write("data: one\n\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                await(firstRead);
                out.write("data: two\n\n".getBytes(StandardCharsets.UTF_8));
              }
            });
    try (UpstreamResponse response = client.send("POST", uri, List.of(), new byte[0], WAIT)) {
      assertThat(text(response.next(WAIT))).isEqualTo("data: one\n\n");
      firstRead.countDown();
      assertThat(text(response.readAll(WAIT, 1 << 20))).isEqualTo("data: two\n\n");
    }
  }

  @Test
  void bodyWithoutLengthEndsWhenTheServerClosesAndItsConnectionIsNotReused() throws Exception {
    RawUpstream upstream =
        raw(
            connection -> {
              if (connection.readRequest() != null) {
                connection.write(
                    "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end");
              }
            });
    for (int i = 0; i < 2; i++) {
      try (UpstreamResponse response = client.send("GET", upstream.uri(), List.of(), null, WAIT)) {
        assertThat(text(response.readAll(WAIT, 1 << 20))).isEqualTo("until the end");
      }
    }
    assertThat(upstream.accepted.get()).isEqualTo(2);
  }

  @Test
  void headAndNoContentAnswersHaveNoBodyAndLeaveTheConnectionUsable() throws Exception {
    RawUpstream upstream =
        raw(
            connection -> {
              for (String request = connection.readRequest();
                  request != null;
                  request = connection.readRequest()) {
                if (request.startsWith("HEAD")) {
                  connection.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n");
                } else if (request.startsWith("DELETE")) {
                  connection.write("HTTP/1.1 204 No Content\r\n\r\n");
                } else {
                  connection.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello");
                }
              }
            });
    for (String method : List.of("HEAD", "DELETE", "GET")) {
      try (UpstreamResponse response = client.send(method, upstream.uri(), List.of(), null, WAIT)) {
        byte[] body = response.readAll(WAIT, 1 << 20);
        assertThat(text(body)).as(method).isEqualTo(method.equals("GET") ? "hello" : "");
      }
    }
    assertThat(upstream.accepted.get()).isEqualTo(1);
  }

  @Test
  void sequentialCallsReuseOneKeepAliveConnection() throws Exception {
    Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
    URI uri =
        jdkServer(
            exchange -> {
              clientPorts.add(exchange.getRemoteAddress().getPort());
              exchange.getRequestBody().readAllBytes();
              exchange.sendResponseHeaders(200, 2);
              exchange.getResponseBody().write("ok".getBytes(StandardCharsets.UTF_8));
              exchange.close();
            });
    for (int i = 0; i < 5; i++) {
      try (UpstreamResponse response =
          client.send("POST", uri, List.of(), new byte[] {'x'}, WAIT)) {
        assertThat(text(response.readAll(WAIT, 100))).isEqualTo("ok");
      }
    }
    assertThat(clientPorts).hasSize(1);
  }

  @Test
  void connectionIsNotReusedWhenTheBodyWasLeftUnreadOrTheServerSaidClose() throws Exception {
    Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
    AtomicInteger calls = new AtomicInteger();
    URI uri =
        jdkServer(
            exchange -> {
              clientPorts.add(exchange.getRemoteAddress().getPort());
              if (calls.incrementAndGet() == 2) {
                exchange.getResponseHeaders().set("Connection", "close");
              }
              exchange.sendResponseHeaders(200, 4);
              exchange.getResponseBody().write("body".getBytes(StandardCharsets.UTF_8));
              exchange.close();
            });
    client.send("GET", uri, List.of(), null, WAIT).close();
    try (UpstreamResponse response = client.send("GET", uri, List.of(), null, WAIT)) {
      assertThat(text(response.readAll(WAIT, 100))).isEqualTo("body");
    }
    try (UpstreamResponse response = client.send("GET", uri, List.of(), null, WAIT)) {
      assertThat(text(response.readAll(WAIT, 100))).isEqualTo("body");
    }
    assertThat(clientPorts).hasSize(3);
  }

  @Test
  void connectionIdleLongerThanFourSecondsIsNotReused() throws Exception {
    MovableClock clock = new MovableClock();
    UpstreamClient timed =
        closing(new UpstreamClient(Duration.ofSeconds(2), UpstreamClient.defaultTls(), clock));
    Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
    URI uri =
        jdkServer(
            exchange -> {
              clientPorts.add(exchange.getRemoteAddress().getPort());
              exchange.sendResponseHeaders(200, 2);
              exchange.getResponseBody().write("ok".getBytes(StandardCharsets.UTF_8));
              exchange.close();
            });
    for (long advance : new long[] {0, 3_000, 4_000}) {
      clock.millis += advance;
      try (UpstreamResponse response = timed.send("GET", uri, List.of(), null, WAIT)) {
        assertThat(text(response.readAll(WAIT, 100))).isEqualTo("ok");
      }
    }
    assertThat(clientPorts).hasSize(2);
  }

  @Test
  void concurrentCallsEachGetTheirOwnAnswer() throws Exception {
    URI uri =
        jdkServer(
            exchange -> {
              byte[] in = exchange.getRequestBody().readAllBytes();
              exchange.sendResponseHeaders(200, in.length);
              exchange.getResponseBody().write(in);
              exchange.close();
            });
    try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<List<String>>> results = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        results.add(
            threads.submit(
                () -> {
                  List<String> answers = new ArrayList<>();
                  for (int i = 0; i < 25; i++) {
                    byte[] body = ("call " + thread + "-" + i).getBytes(StandardCharsets.UTF_8);
                    try (UpstreamResponse response =
                        client.send("POST", uri, List.of(), body, WAIT)) {
                      answers.add(text(response.readAll(WAIT, 100)));
                    }
                  }
                  return answers;
                }));
      }
      for (int t = 0; t < 8; t++) {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
          expected.add("call " + t + "-" + i);
        }
        assertThat(results.get(t).get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(expected);
      }
    }
  }

  @Test
  void pooledConnectionTheServerClosedIsRetriedOnAFreshOne() throws Exception {
    RawUpstream upstream =
        raw(
            connection -> {
              if (connection.readRequest() != null) {
                // A keep-alive answer, then the server drops the connection as an idle timeout
                // would.
                connection.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
              }
            });
    for (int i = 0; i < 3; i++) {
      try (UpstreamResponse response =
          client.send("POST", upstream.uri(), List.of(), new byte[] {'x'}, WAIT)) {
        assertThat(response.status()).isEqualTo(200);
        assertThat(text(response.readAll(WAIT, 100))).isEqualTo("ok");
      }
    }
    assertThat(upstream.accepted.get()).isEqualTo(3);
  }

  @Test
  void closedPortIsReportedAsRefused() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, LOOPBACK)) {
      port = socket.getLocalPort();
    }
    assertThatThrownBy(
            () ->
                client.send(
                    "GET", URI.create("http://127.0.0.1:" + port + "/"), List.of(), null, WAIT))
        .isInstanceOf(ConnectException.class);
  }

  @Test
  void hostThatDoesNotResolveIsReportedAsUnknown() {
    assertThatThrownBy(
            () ->
                client.send(
                    "GET", URI.create("http://helix-no-such-host.invalid/"), List.of(), null, WAIT))
        .isInstanceOf(UnknownHostException.class);
  }

  @Test
  void plainHttpCallsNeverLoadTheTlsStack() throws Exception {
    AtomicInteger asked = new AtomicInteger();
    UpstreamClient plain =
        closing(
            new UpstreamClient(
                Duration.ofSeconds(2),
                () -> {
                  asked.incrementAndGet();
                  throw new IllegalStateException("TLS loaded for a plain call");
                },
                Clock.systemUTC()));
    URI uri = jdkServer(exchange -> exchange.sendResponseHeaders(204, -1));
    try (UpstreamResponse response = plain.send("GET", uri, List.of(), null, WAIT)) {
      assertThat(response.status()).isEqualTo(204);
    }
    assertThat(asked.get()).isZero();
  }

  @Test
  void serverThatNeverAnswersTimesOutAfterTheHeadersTimeout() throws Exception {
    CountDownLatch done = new CountDownLatch(1);
    cleanup.add(done::countDown);
    RawUpstream upstream =
        raw(
            connection -> {
              connection.readRequest();
              await(done);
            });
    assertThatThrownBy(
            () -> client.send("GET", upstream.uri(), List.of(), null, Duration.ofMillis(300)))
        .isExactlyInstanceOf(HttpTimeoutException.class)
        .hasMessageContaining("no response headers within 300 ms");
  }

  @Test
  void serverWhoseAcceptQueueIsFullTimesOutConnecting() throws Exception {
    // Linux drops the SYNs to a listener whose accept queue is full, so connecting hangs like to
    // an unreachable host; other systems may refuse instead, and then there is nothing to test.
    ServerSocket listener = closing(new ServerSocket(0, 1, LOOPBACK));
    boolean full = false;
    for (int i = 0; i < 16 && !full; i++) {
      Socket filler = closing(new Socket());
      try {
        filler.connect(listener.getLocalSocketAddress(), 200);
      } catch (SocketTimeoutException e) {
        full = true;
      }
    }
    assumeTrue(full, "this system does not let a full accept queue stall connects");
    UpstreamClient impatient =
        closing(
            new UpstreamClient(
                Duration.ofMillis(200), UpstreamClient.defaultTls(), Clock.systemUTC()));
    URI uri = URI.create("http://127.0.0.1:" + listener.getLocalPort() + "/");
    assertThatThrownBy(() -> impatient.send("GET", uri, List.of(), null, WAIT))
        .isInstanceOf(HttpConnectTimeoutException.class)
        .hasMessageContaining("took longer than 200 ms");
  }

  @Test
  void bodyThatStallsMidwayEndsWithAnIdleTimeout() throws Exception {
    CountDownLatch done = new CountDownLatch(1);
    cleanup.add(done::countDown);
    RawUpstream upstream =
        raw(
            connection -> {
              connection.readRequest();
              connection.write("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
              await(done);
            });
    try (UpstreamResponse response = client.send("GET", upstream.uri(), List.of(), null, WAIT)) {
      assertThat(text(response.next(WAIT))).isEqualTo("abc");
      assertThatThrownBy(() -> response.next(Duration.ofMillis(200)))
          .isInstanceOf(UpstreamResponse.IdleTimeoutException.class)
          .hasMessageContaining("no body data for 200 ms");
    }
  }

  @Test
  void bodyCutShortOfItsLengthNamesHowMuchArrived() throws Exception {
    RawUpstream upstream =
        raw(
            connection -> {
              connection.readRequest();
              connection.write("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
            });
    try (UpstreamResponse response = client.send("GET", upstream.uri(), List.of(), null, WAIT)) {
      assertThatThrownBy(() -> response.readAll(WAIT, 100))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("closed the connection after 3 of 10 bytes");
    }
  }

  @Test
  void cancelFromAnotherThreadUnblocksARead() throws Exception {
    CountDownLatch done = new CountDownLatch(1);
    cleanup.add(done::countDown);
    RawUpstream upstream =
        raw(
            connection -> {
              connection.readRequest();
              connection.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
              await(done);
            });
    UpstreamResponse response = client.send("GET", upstream.uri(), List.of(), null, WAIT);
    try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<byte[]> read = threads.submit(() -> response.next(Duration.ofMinutes(1)));
      Thread.sleep(100);
      response.cancel();
      assertThatThrownBy(() -> read.get(WAIT.toSeconds(), TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(IOException.class)
          .isNotInstanceOf(UpstreamResponse.IdleTimeoutException.class);
    }
    response.close();
  }

  @Test
  void malformedChunkSizeIsAnErrorNamingIt() throws Exception {
    RawUpstream upstream =
        raw(
            connection -> {
              connection.readRequest();
              connection.write(
                  "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n");
            });
    try (UpstreamResponse response = client.send("GET", upstream.uri(), List.of(), null, WAIT)) {
      assertThatThrownBy(() -> response.next(WAIT))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("malformed chunk size 'zz'");
    }
  }

  @Test
  void headerSectionOverTheLimitIsRefused() throws Exception {
    RawUpstream upstream =
        raw(
            connection -> {
              connection.readRequest();
              connection.write("HTTP/1.1 200 OK\r\nX-Big: " + "a".repeat(70 * 1024) + "\r\n\r\n");
            });
    assertThatThrownBy(() -> client.send("GET", upstream.uri(), List.of(), null, WAIT))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("larger than the limit of 64 KiB");
  }

  @Test
  void interimContinueIsSkipped() throws Exception {
    RawUpstream upstream =
        raw(
            connection -> {
              connection.readRequest();
              connection.write(
                  "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nlast");
            });
    try (UpstreamResponse response =
        client.send("POST", upstream.uri(), List.of(), new byte[] {1}, WAIT)) {
      assertThat(response.status()).isEqualTo(200);
      assertThat(text(response.readAll(WAIT, 100))).isEqualTo("last");
    }
  }

  @Test
  void headerValueWithALineBreakIsRefusedBeforeAnythingIsSent() throws Exception {
    RawUpstream upstream = raw(connection -> connection.readRequest());
    assertThatThrownBy(
            () ->
                client.send(
                    "GET",
                    upstream.uri(),
                    List.of(Map.entry("X-Note", "a\r\nX-Injected: 1")),
                    null,
                    WAIT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("X-Note");
    assertThatThrownBy(
            () ->
                client.send("GET", upstream.uri(), List.of(Map.entry("Bad Name", "1")), null, WAIT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Bad Name");
    assertThat(upstream.accepted.get()).isZero();
  }

  @Test
  void httpsWorksWithATrustedCertificateAndRefusesOneForAnotherName(@TempDir Path dir)
      throws Exception {
    KeyStore forLocalhost = selfSigned(dir, "localhost");
    KeyStore forOther = selfSigned(dir, "other.example");
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    trusted.setCertificateEntry("localhost", certificate(forLocalhost));
    trusted.setCertificateEntry("other", certificate(forOther));
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    SSLContext clientTls = SSLContext.getInstance("TLS");
    clientTls.init(null, trust.getTrustManagers(), null);
    UpstreamClient tlsClient =
        closing(
            new UpstreamClient(
                Duration.ofSeconds(5), clientTls::getSocketFactory, Clock.systemUTC()));

    int good = httpsServer(forLocalhost);
    try (UpstreamResponse response =
        tlsClient.send(
            "GET", URI.create("https://localhost:" + good + "/"), List.of(), null, WAIT)) {
      assertThat(text(response.readAll(WAIT, 100))).isEqualTo("secure");
    }
    int wrongName = httpsServer(forOther);
    assertThatThrownBy(
            () ->
                tlsClient.send(
                    "GET",
                    URI.create("https://localhost:" + wrongName + "/"),
                    List.of(),
                    null,
                    WAIT))
        .isInstanceOf(SSLHandshakeException.class);
  }

  private int httpsServer(KeyStore keys) throws Exception {
    KeyManagerFactory keyManagers =
        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keyManagers.init(keys, "changeit".toCharArray());
    SSLContext serverTls = SSLContext.getInstance("TLS");
    serverTls.init(keyManagers.getKeyManagers(), null, null);
    HttpsServer server = HttpsServer.create(new InetSocketAddress(LOOPBACK, 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(serverTls));
    server.createContext(
        "/",
        exchange -> {
          exchange.sendResponseHeaders(200, 6);
          exchange.getResponseBody().write("secure".getBytes(StandardCharsets.UTF_8));
          exchange.close();
        });
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.start();
    cleanup.add(() -> server.stop(0));
    return server.getAddress().getPort();
  }

  private static KeyStore selfSigned(Path dir, String name) throws Exception {
    Path file = dir.resolve(name + ".p12");
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Process process =
        new ProcessBuilder(
                keytool.toString(),
                "-genkeypair",
                "-alias",
                "upstream",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=" + name,
                "-ext",
                "SAN=dns:" + name,
                "-validity",
                "2",
                "-keystore",
                file.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                "changeit",
                "-keypass",
                "changeit")
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as(output).isZero();
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(file)) {
      store.load(in, "changeit".toCharArray());
    }
    return store;
  }

  private static Certificate certificate(KeyStore store) throws Exception {
    return store.getCertificate("upstream");
  }

  private URI jdkServer(HttpHandler handler) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 0);
    server.createContext(
        "/",
        exchange -> {
          try {
            handler.handle(exchange);
          } finally {
            exchange.close();
          }
        });
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.start();
    cleanup.add(() -> server.stop(0));
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  private RawUpstream raw(Script script) throws IOException {
    return closing(new RawUpstream(script));
  }

  private <T extends AutoCloseable> T closing(T closeable) {
    cleanup.add(closeable);
    return closeable;
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** A clock the test moves by hand, to age pooled connections without waiting. */
  private static final class MovableClock extends Clock {
    volatile long millis = 1_000_000;

    @Override
    public long millis() {
      return millis;
    }

    @Override
    public java.time.Instant instant() {
      return java.time.Instant.ofEpochMilli(millis);
    }

    @Override
    public java.time.ZoneId getZone() {
      return java.time.ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  /**
   * What a wire-level upstream does with one accepted connection; the connection is closed after.
   */
  @FunctionalInterface
  private interface Script {
    void run(RawConnection connection) throws IOException;
  }

  /** A server socket whose connections run a script, for answers the JDK server would not send. */
  private static final class RawUpstream implements AutoCloseable {
    final AtomicInteger accepted = new AtomicInteger();
    private final ServerSocket listener = new ServerSocket(0, 50, LOOPBACK);
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    RawUpstream(Script script) throws IOException {
      Thread.ofVirtual()
          .start(
              () -> {
                while (!listener.isClosed()) {
                  try {
                    Socket socket = listener.accept();
                    accepted.incrementAndGet();
                    open.add(socket);
                    Thread.ofVirtual()
                        .start(
                            () -> {
                              try (socket) {
                                script.run(new RawConnection(socket));
                              } catch (IOException ignored) {
                                // the client went away; the test asserts what it saw
                              }
                            });
                  } catch (IOException e) {
                    return;
                  }
                }
              });
    }

    URI uri() {
      return URI.create("http://127.0.0.1:" + listener.getLocalPort() + "/v1/chat/completions");
    }

    @Override
    public void close() throws IOException {
      listener.close();
      for (Socket socket : open) {
        socket.close();
      }
    }
  }

  private static final class RawConnection {
    private final InputStream in;
    private final OutputStream out;

    RawConnection(Socket socket) throws IOException {
      in = new BufferedInputStream(socket.getInputStream());
      out = socket.getOutputStream();
    }

    /**
     * The next request's head (its body, by Content-Length, is read and dropped), or null at EOF.
     */
    String readRequest() throws IOException {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          return null;
        }
        head.write(b);
      }
      String text = head.toString(StandardCharsets.ISO_8859_1);
      for (String line : text.split("\r\n")) {
        if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
          in.readNBytes(Integer.parseInt(line.substring(15).strip()));
        }
      }
      return text;
    }

    void write(String text) throws IOException {
      out.write(text.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
    }
  }
}
