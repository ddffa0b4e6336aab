package dev.helix.testing;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One HTTP exchange held in memory: a request given up front, the answer's status, headers and
 * bytes kept for the test. Lets fuzz targets drive a handler thousands of times a second without a
 * socket; what only a socket shows (framing, timing) stays with the loopback tests.
 */
public final class MemoryExchange extends HttpExchange {
  private final String method;
  private final URI uri;
  private final Headers requestHeaders = new Headers();
  private final Headers responseHeaders = new Headers();
  private final InputStream requestBody;
  private final ByteArrayOutputStream responseBody = new ByteArrayOutputStream();
  private final Map<String, Object> attributes = new HashMap<>();
  private int status = -1;

  /** A request from 127.0.0.1 to {@code path} with the given headers ("Name: value") and body. */
  public MemoryExchange(String method, String path, byte[] body, String... headers) {
    this.method = method;
    this.uri = URI.create(path);
    this.requestBody = new ByteArrayInputStream(body);
    for (String header : headers) {
      int colon = header.indexOf(':');
      requestHeaders.add(header.substring(0, colon).trim(), header.substring(colon + 1).trim());
    }
  }

  /** The status sent, or -1 when the handler sent none. */
  public int status() {
    return status;
  }

  /** The answer's bytes so far. */
  public byte[] body() {
    return responseBody.toByteArray();
  }

  /** The answer's bytes as UTF-8 text. */
  public String bodyText() {
    return responseBody.toString(StandardCharsets.UTF_8);
  }

  @Override
  public Headers getRequestHeaders() {
    return requestHeaders;
  }

  @Override
  public Headers getResponseHeaders() {
    return responseHeaders;
  }

  @Override
  public URI getRequestURI() {
    return uri;
  }

  @Override
  public String getRequestMethod() {
    return method;
  }

  @Override
  public @Nullable HttpContext getHttpContext() {
    return null;
  }

  @Override
  public void close() {
    // Nothing to release: both bodies are in memory.
  }

  @Override
  public InputStream getRequestBody() {
    return requestBody;
  }

  @Override
  public OutputStream getResponseBody() {
    return responseBody;
  }

  @Override
  public void sendResponseHeaders(int code, long length) {
    if (status != -1) {
      throw new IllegalStateException("headers already sent (status " + status + "), now " + code);
    }
    status = code;
  }

  @Override
  public InetSocketAddress getRemoteAddress() {
    return new InetSocketAddress("127.0.0.1", 50000);
  }

  @Override
  public int getResponseCode() {
    return status;
  }

  @Override
  public InetSocketAddress getLocalAddress() {
    return new InetSocketAddress("127.0.0.1", 11437);
  }

  @Override
  public String getProtocol() {
    return "HTTP/1.1";
  }

  @Override
  public @Nullable Object getAttribute(String name) {
    return attributes.get(name);
  }

  @Override
  public void setAttribute(String name, @Nullable Object value) {
    attributes.put(name, value);
  }

  @Override
  public void setStreams(@Nullable InputStream in, @Nullable OutputStream out) {
    throw new UnsupportedOperationException("a memory exchange keeps its own streams");
  }

  @Override
  public @Nullable HttpPrincipal getPrincipal() {
    return null;
  }
}
