package dev.helix.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helix.text.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stream the SDK's stdio transport reads: stdin, line by line, with two repairs.
 *
 * <p>A line that is not a JSON-RPC message is answered here with a JSON-RPC error and never reaches
 * the SDK, whose reader gives up on the first line it cannot parse and would leave the agent
 * talking to a process that no longer listens, and that never notices stdin closing.
 *
 * <p>The end of stdin is signalled to {@link #awaitEnd()} at once but held back from the SDK until
 * {@link #release()}: once the SDK sees it, it drops every answer not yet written, and calls that
 * are still running deserve a moment to answer.
 */
final class ProtocolInput extends InputStream {
  private static final Logger log = LoggerFactory.getLogger(ProtocolInput.class);
  private static final byte[] END = new byte[0];

  private final BlockingQueue<byte[]> lines = new LinkedBlockingQueue<>();
  private final CountDownLatch ended = new CountDownLatch(1);
  private final ObjectMapper json = Json.mapper();
  private final OutputStream out;
  private byte[] current = new byte[0];
  private int position;
  private boolean finished;

  /**
   * Starts reading {@code stdin} on a thread of its own.
   *
   * @param out where error answers go; the SDK writes its messages while holding this object's
   *     monitor, and so do we, so lines never interleave
   */
  ProtocolInput(InputStream stdin, OutputStream out) {
    this.out = out;
    Thread.ofPlatform().name("helix-mcp-stdin").daemon().start(() -> pump(stdin));
  }

  /** Blocks until stdin has ended (or failed: the agent is gone either way). */
  void awaitEnd() throws InterruptedException {
    ended.await();
  }

  /** Lets the SDK see the end of input. */
  void release() {
    lines.add(END);
  }

  @Override
  public int read() throws IOException {
    if (!fill()) {
      return -1;
    }
    return current[position++] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (!fill()) {
      return -1;
    }
    int n = Math.min(len, current.length - position);
    System.arraycopy(current, position, b, off, n);
    position += n;
    return n;
  }

  private boolean fill() throws IOException {
    while (position == current.length) {
      if (finished) {
        return false;
      }
      byte[] next;
      try {
        next = lines.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("interrupted while waiting for stdin");
      }
      if (next == END) {
        finished = true;
        return false;
      }
      current = next;
      position = 0;
    }
    return true;
  }

  private void pump(InputStream stdin) {
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8))) {
      for (String line; (line = reader.readLine()) != null; ) {
        if (line.isBlank()) {
          continue;
        }
        Map<String, Object> problem = problem(line);
        if (problem == null) {
          lines.add((line + "\n").getBytes(StandardCharsets.UTF_8));
        } else {
          answer(problem);
        }
      }
    } catch (IOException e) {
      log.warn("helix mcp: reading stdin failed ({}); exiting", e.toString());
    } finally {
      ended.countDown();
    }
  }

  /** The JSON-RPC error for a line the SDK could not take, or null when the line is fine. */
  private @Nullable Map<String, Object> problem(String line) {
    JsonNode message;
    try {
      message = json.readTree(line);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return error(
          null,
          -32700,
          "Parse error: a line of stdin is not JSON ("
              + e.getOriginalMessage()
              + "); send one JSON-RPC message per line");
    }
    if (message != null
        && message.isObject()
        && (message.path("method").isTextual() || message.has("result") || message.has("error"))) {
      return null;
    }
    return error(
        message != null && message.isObject() ? message.get("id") : null,
        -32600,
        "Invalid Request: expected one JSON-RPC 2.0 object with a method, result or error per line");
  }

  private static Map<String, Object> error(@Nullable JsonNode id, int code, String message) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("code", code);
    error.put("message", message);
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("jsonrpc", "2.0");
    answer.put("id", id);
    answer.put("error", error);
    return answer;
  }

  private void answer(Map<String, Object> error) throws IOException {
    log.warn("helix mcp: {}", ((Map<?, ?>) error.get("error")).get("message"));
    byte[] bytes = (json.writeValueAsString(error) + "\n").getBytes(StandardCharsets.UTF_8);
    synchronized (out) {
      out.write(bytes);
      out.flush();
    }
  }
}
