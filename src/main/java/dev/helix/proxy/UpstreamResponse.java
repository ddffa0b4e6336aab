package dev.helix.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * An upstream response whose status and headers are in and whose body is read piece by piece, each
 * piece handed over as soon as it arrived (server-sent events pass through unbuffered). The body's
 * end follows RFC 9112 §6.3. Closing it pools the connection when the body was read to its end and
 * the upstream allows another request; otherwise the connection is closed.
 */
final class UpstreamResponse implements AutoCloseable {
  /** The upstream went quiet for longer than the idle limit. */
  static final class IdleTimeoutException extends IOException {
    IdleTimeoutException(String message) {
      super(message);
    }
  }

  /** How long the next socket read may wait, or a timeout exception when the time is up. */
  @FunctionalInterface
  interface Wait {
    int millis() throws IOException;
  }

  private enum Framing {
    NONE,
    LENGTH,
    CHUNKED,
    TO_EOF
  }

  private static final int MAX_CHUNK_LINE = 4096;

  private final UpstreamClient client;
  private final UpstreamClient.Connection connection;
  private final int status;
  private final Map<String, List<String>> headers;
  private final Framing framing;
  private final long length;
  private final boolean keepAlive;
  private long delivered;
  private long chunkLeft;
  private boolean chunkEndPending;
  private boolean done;
  private boolean broken;
  private boolean closed;
  private boolean released;
  private volatile boolean cancelled;

  private UpstreamResponse(
      UpstreamClient client,
      UpstreamClient.Connection connection,
      int status,
      Map<String, List<String>> headers,
      Framing framing,
      long length,
      boolean keepAlive) {
    this.client = client;
    this.connection = connection;
    this.status = status;
    this.headers = headers;
    this.framing = framing;
    this.length = length;
    this.keepAlive = keepAlive;
    this.done = framing == Framing.NONE || (framing == Framing.LENGTH && length == 0);
  }

  /**
   * Reads the status line and headers from {@code c}, skipping interim 1xx responses other than
   * 101.
   */
  static UpstreamResponse read(
      UpstreamClient client, UpstreamClient.Connection c, boolean headRequest, Wait wait)
      throws IOException {
    while (true) {
      int[] budget = {UpstreamClient.MAX_HEADER_BYTES};
      String statusLine =
          headerLine(
              c,
              wait,
              budget,
              c.received == 0
                  ? "upstream " + c.origin + " closed the connection before answering"
                  : "upstream "
                      + c.origin
                      + " closed the connection in the middle of the response headers");
      if (!statusLine.startsWith("HTTP/1.")
          || statusLine.length() < 12
          || statusLine.charAt(8) != ' '
          || !isDigits(statusLine.substring(9, 12))
          || (statusLine.length() > 12 && statusLine.charAt(12) != ' ')) {
        throw new IOException(
            "upstream "
                + c.origin
                + " answered with a status line that is not HTTP/1.x: '"
                + shorten(statusLine)
                + "'");
      }
      boolean http11 = statusLine.charAt(7) == '1';
      int status = Integer.parseInt(statusLine.substring(9, 12));
      Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      String lastName = null;
      for (String line =
              headerLine(
                  c,
                  wait,
                  budget,
                  "upstream "
                      + c.origin
                      + " closed the connection in the middle of the response headers");
          !line.isEmpty();
          line =
              headerLine(
                  c,
                  wait,
                  budget,
                  "upstream "
                      + c.origin
                      + " closed the connection in the middle of the response headers")) {
        if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && lastName != null) {
          // obs-fold (RFC 9112 §5.2): the line continues the previous header's value.
          List<String> values = headers.get(lastName);
          values.set(values.size() - 1, values.getLast() + " " + line.strip());
          continue;
        }
        int colon = line.indexOf(':');
        if (colon <= 0 || !UpstreamClient.isToken(line.substring(0, colon))) {
          throw new IOException(
              "upstream " + c.origin + " sent a malformed header line: '" + shorten(line) + "'");
        }
        lastName = line.substring(0, colon);
        headers
            .computeIfAbsent(lastName, n -> new ArrayList<>())
            .add(line.substring(colon + 1).strip());
      }
      if (status >= 100 && status < 200 && status != 101) {
        continue;
      }
      headers.replaceAll((name, values) -> List.copyOf(values));
      return framed(client, c, headRequest, status, http11, Collections.unmodifiableMap(headers));
    }
  }

  private static UpstreamResponse framed(
      UpstreamClient client,
      UpstreamClient.Connection c,
      boolean headRequest,
      int status,
      boolean http11,
      Map<String, List<String>> headers)
      throws IOException {
    boolean close = !http11 || HeaderRules.tokens(headers.get("Connection")).contains("close");
    if (status == 101) {
      // The connection now speaks another protocol: everything after is the caller's, never pooled.
      return new UpstreamResponse(client, c, status, headers, Framing.TO_EOF, -1, false);
    }
    if (headRequest || status < 200 || status == 204 || status == 304) {
      return new UpstreamResponse(client, c, status, headers, Framing.NONE, 0, !close);
    }
    List<String> codings = HeaderRules.tokens(headers.get("Transfer-Encoding"));
    if (!codings.isEmpty()) {
      // Chunked last means chunked framing; anything else ends at EOF. A Content-Length beside it
      // is ignored, and the connection is not reused since the sender was confused (RFC 9112 §6.3).
      boolean chunked = codings.getLast().equals("chunked");
      return new UpstreamResponse(
          client,
          c,
          status,
          headers,
          chunked ? Framing.CHUNKED : Framing.TO_EOF,
          -1,
          chunked && !close && !headers.containsKey("Content-Length"));
    }
    List<String> lengths = headers.get("Content-Length");
    if (lengths != null) {
      long length = -1;
      for (String value : lengths) {
        for (String part : value.split(",", -1)) {
          String digits = part.strip();
          if (!isDigits(digits)
              || digits.length() > 18
              || (length != -1 && Long.parseLong(digits) != length)) {
            throw new IOException(
                "upstream " + c.origin + " sent an invalid Content-Length: " + lengths);
          }
          length = Long.parseLong(digits);
        }
      }
      return new UpstreamResponse(client, c, status, headers, Framing.LENGTH, length, !close);
    }
    return new UpstreamResponse(client, c, status, headers, Framing.TO_EOF, -1, false);
  }

  int status() {
    return status;
  }

  /** The body's length when the upstream declared it and it frames the body, else -1. */
  long contentLength() {
    return framing == Framing.LENGTH ? length : framing == Framing.NONE ? 0 : -1;
  }

  /**
   * The headers by name, looked up without regard to case; names keep the case the upstream sent.
   */
  Map<String, List<String>> headers() {
    return headers;
  }

  /**
   * The next piece of the body as soon as any of it arrived, or null at its end.
   *
   * @throws UpstreamResponse.IdleTimeoutException when nothing arrived within {@code idle}; the
   *     connection is closed
   * @throws IOException when the upstream broke off the body or the response was cancelled
   */
  byte @Nullable [] next(Duration idle) throws IOException {
    if (done) {
      return null;
    }
    if (cancelled || closed || broken) {
      throw new IOException(
          "the upstream response from "
              + connection.origin
              + " was cancelled or closed; its body cannot be read any more");
    }
    int millis = (int) Math.max(1, Math.min(idle.toMillis(), Integer.MAX_VALUE));
    try {
      return switch (framing) {
        case NONE -> null;
        case LENGTH -> nextOfLength(millis);
        case CHUNKED -> nextChunk(millis);
        case TO_EOF -> nextToEof(millis);
      };
    } catch (SocketTimeoutException e) {
      fail();
      throw new UpstreamResponse.IdleTimeoutException(
          "upstream " + connection.origin + " sent no body data for " + millis + " ms");
    } catch (IOException | RuntimeException e) {
      fail();
      if (cancelled) {
        throw new IOException(
            "reading the upstream body from " + connection.origin + " was cancelled", e);
      }
      throw e;
    }
  }

  /**
   * Reads the rest of the body, keeping at most {@code limit} bytes (the rest is read and dropped).
   */
  byte[] readAll(Duration idle, int limit) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] piece = next(idle); piece != null; piece = next(idle)) {
      int room = limit - out.size();
      if (room > 0) {
        out.write(piece, 0, Math.min(room, piece.length));
      }
    }
    return out.toByteArray();
  }

  /**
   * Stops the response: closes its connection, which unblocks a {@link #next} in another thread.
   */
  void cancel() {
    synchronized (this) {
      cancelled = true;
      // Once pooled the connection may already carry another call; a late cancel must not close it.
      if (released) {
        return;
      }
    }
    connection.close();
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      released = done && keepAlive && !broken && !cancelled;
    }
    if (released) {
      client.release(connection);
    } else {
      connection.close();
    }
  }

  private void fail() {
    broken = true;
    connection.close();
  }

  private byte[] nextOfLength(int millis) throws IOException {
    if (connection.available() == 0 && connection.fill(millis) < 0) {
      throw new IOException(
          "upstream "
              + connection.origin
              + " closed the connection after "
              + delivered
              + " of "
              + length
              + " bytes");
    }
    byte[] piece = take(length - delivered);
    delivered += piece.length;
    done = delivered == length;
    return piece;
  }

  private byte @Nullable [] nextChunk(int millis) throws IOException {
    Wait wait = () -> millis;
    String eof =
        "upstream " + connection.origin + " closed the connection in the middle of a chunked body";
    if (chunkLeft == 0) {
      if (chunkEndPending) {
        if (!chunkLine(wait, eof).isEmpty()) {
          throw new IOException(
              "upstream " + connection.origin + " sent chunk data longer than its chunk size");
        }
        chunkEndPending = false;
      }
      String line = chunkLine(wait, eof);
      int semicolon = line.indexOf(';');
      String size = (semicolon < 0 ? line : line.substring(0, semicolon)).strip();
      if (size.isEmpty()
          || size.length() > 15
          || !size.chars().allMatch(ch -> Character.digit(ch, 16) >= 0)) {
        throw new IOException(
            "upstream "
                + connection.origin
                + " sent a malformed chunk size '"
                + shorten(line)
                + "'");
      }
      chunkLeft = Long.parseLong(size, 16);
      if (chunkLeft == 0) {
        // The last chunk: trailer fields follow up to an empty line; the proxy has no use for them.
        int[] budget = {UpstreamClient.MAX_HEADER_BYTES};
        while (!headerLine(connection, wait, budget, eof).isEmpty()) {
          // dropped
        }
        done = true;
        return null;
      }
    }
    if (connection.available() == 0 && connection.fill(millis) < 0) {
      throw new IOException(eof);
    }
    byte[] piece = take(chunkLeft);
    chunkLeft -= piece.length;
    chunkEndPending = chunkLeft == 0;
    return piece;
  }

  private byte @Nullable [] nextToEof(int millis) throws IOException {
    if (connection.available() == 0 && connection.fill(millis) < 0) {
      done = true;
      return null;
    }
    return take(Long.MAX_VALUE);
  }

  /** Up to {@code max} bytes from the connection's buffer, which holds at least one. */
  private byte[] take(long max) {
    int n = (int) Math.min(connection.available(), max);
    byte[] piece =
        Arrays.copyOfRange(connection.buffer, connection.position, connection.position + n);
    connection.position += n;
    return piece;
  }

  private String chunkLine(Wait wait, String eof) throws IOException {
    int[] budget = {MAX_CHUNK_LINE};
    return line(
        connection,
        wait,
        budget,
        eof,
        "a chunk size line longer than " + MAX_CHUNK_LINE + " bytes");
  }

  private static String headerLine(UpstreamClient.Connection c, Wait wait, int[] budget, String eof)
      throws IOException {
    return line(
        c,
        wait,
        budget,
        eof,
        "a header section larger than the limit of "
            + UpstreamClient.MAX_HEADER_BYTES / 1024
            + " KiB");
  }

  /**
   * One line without its CR LF, read from the buffer and refilled as needed; {@code budget[0]} is
   * the number of bytes still allowed and is reduced by this line.
   */
  private static String line(
      UpstreamClient.Connection c, Wait wait, int[] budget, String eof, String tooLong)
      throws IOException {
    StringBuilder line = new StringBuilder();
    while (true) {
      if (c.available() == 0 && c.fill(wait.millis()) < 0) {
        throw new IOException(eof);
      }
      int start = c.position;
      int end = start;
      while (end < c.limit && c.buffer[end] != '\n') {
        end++;
      }
      budget[0] -= end - start + (end < c.limit ? 1 : 0);
      if (budget[0] < 0) {
        throw new IOException("upstream " + c.origin + " sent " + tooLong);
      }
      line.append(new String(c.buffer, start, end - start, StandardCharsets.ISO_8859_1));
      if (end < c.limit) {
        c.position = end + 1;
        int last = line.length() - 1;
        if (last >= 0 && line.charAt(last) == '\r') {
          line.setLength(last);
        }
        return line.toString();
      }
      c.position = end;
    }
  }

  private static boolean isDigits(String s) {
    return !s.isEmpty() && s.chars().allMatch(ch -> ch >= '0' && ch <= '9');
  }

  private static String shorten(String s) {
    return s.length() <= 100 ? s : s.substring(0, 100) + "...";
  }
}
