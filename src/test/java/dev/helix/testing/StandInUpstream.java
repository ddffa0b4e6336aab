package dev.helix.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in for an OpenAI-compatible LLM API, run as its own process (modelled on okhttp's
 * MockWebServer): answers {@code /v1/chat/completions} (JSON and server-sent events) and {@code
 * /v1/models} at any base path, records what it received, and plays scripted answers.
 *
 * <p>Control routes, under {@code /_standin/}: {@code POST enqueue} (a script, see {@link
 * StandIn.Script}), {@code GET take?timeout_ms=N} (the oldest unread recorded request, 204 when
 * none came), {@code POST gates/NAME} (opens a gate a script waits on), {@code GET counters}
 * ({@code {requests, disconnects}}). helix's health probe ({@code User-Agent:
 * helix-health-probe/...}) is answered but neither recorded nor scripted. Prints {@code listening
 * PORT} on stdout once ready.
 *
 * <p>Usage: {@code StandInUpstream [--port N] [--exit-on-stdin-eof] [--no-record]}.
 */
public final class StandInUpstream {
  private static final byte[] COMPLETION =
      ("{\"id\":\"chatcmpl-standin\",\"object\":\"chat.completion\","
              + "\"created\":1700000000,\"model\":\"stand-in\",\"choices\":[{\"index\":0,\"message\":{\"role\":"
              + "\"assistant\",\"content\":\"Hello from the stand-in.\"},\"finish_reason\":\"stop\"}],"
              + "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":5,\"total_tokens\":10}}")
          .getBytes(StandardCharsets.UTF_8);
  private static final byte[] MODELS =
      "{\"object\":\"list\",\"data\":[{\"id\":\"stand-in\",\"object\":\"model\",\"created\":1700000000,\"owned_by\":\"helix-tests\"}]}"
          .getBytes(StandardCharsets.UTF_8);

  private final ObjectMapper mapper = new ObjectMapper();
  private final BlockingQueue<JsonNode> scripts = new LinkedBlockingQueue<>();
  private final BlockingQueue<JsonNode> recorded = new LinkedBlockingQueue<>(10_000);
  private final Map<String, CountDownLatch> gates = new ConcurrentHashMap<>();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong disconnects = new AtomicLong();
  private final boolean record;

  private StandInUpstream(boolean record) {
    this.record = record;
  }

  public static void main(String[] args) throws Exception {
    System.exit(run(args));
  }

  static int run(String[] args) throws Exception {
    int port = 0;
    boolean watchStdin = false;
    boolean record = true;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--port" -> port = Integer.parseInt(args[++i]);
        case "--exit-on-stdin-eof" -> watchStdin = true;
        case "--no-record" -> record = false;
        default -> {
          System.err.println(
              "stand-in: unknown argument '"
                  + args[i]
                  + "'; use --port N, --exit-on-stdin-eof, --no-record");
          return 2;
        }
      }
    }
    System.setProperty("sun.net.httpserver.nodelay", "true");
    StandInUpstream standIn = new StandInUpstream(record);
    HttpServer http =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
    http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    http.createContext("/", standIn::handle);
    http.start();
    System.out.println("listening " + http.getAddress().getPort());
    System.out.flush();
    if (watchStdin) {
      // The test JVM holds our stdin: when it dies, so do we, and no stand-in is left behind.
      while (System.in.read() >= 0) {
        // drain
      }
      http.stop(0);
      return 0;
    }
    new CountDownLatch(1).await();
    return 0;
  }

  /**
   * Thrown out of the handler, without closing the exchange, so the JDK server drops the
   * connection.
   */
  private static final class ScriptedReset extends RuntimeException {
    ScriptedReset(String message) {
      super(message, null, false, false);
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      serve(exchange);
    } catch (ScriptedReset reset) {
      throw reset;
    } catch (IOException | RuntimeException e) {
      exchange.close();
      throw e;
    }
    exchange.close();
  }

  private void serve(HttpExchange exchange) throws IOException {
    {
      String path = exchange.getRequestURI().getPath();
      if (path.startsWith("/_standin/")) {
        control(exchange, path.substring("/_standin/".length()));
        return;
      }
      byte[] body = exchange.getRequestBody().readAllBytes();
      String agent = exchange.getRequestHeaders().getFirst("User-Agent");
      if (agent != null && agent.startsWith("helix-health-probe")) {
        // helix's background health probe: answered, but neither recorded nor given a script.
        send(exchange, 200, "application/json", MODELS);
        return;
      }
      requests.incrementAndGet();
      if (record) {
        recorded.offer(recordOf(exchange, body));
      }
      JsonNode script = inlineScript(body);
      if (script == null) {
        script = scripts.poll();
      }
      if (script != null) {
        play(exchange, script);
      } else if (path.endsWith("/chat/completions")) {
        String text = new String(body, StandardCharsets.UTF_8);
        if (text.contains("\"stream\":true") || text.contains("\"stream\": true")) {
          play(exchange, defaultStream());
        } else {
          send(exchange, 200, "application/json", COMPLETION);
        }
      } else if (path.endsWith("/models")) {
        send(exchange, 200, "application/json", MODELS);
      } else {
        send(
            exchange,
            404,
            "application/json",
            ("{\"error\":{\"message\":\"stand-in has no route "
                    + path
                    + "\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}}")
                .getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  /**
   * A script carried by the request itself, as a top-level {@code "x_standin"} object of a JSON
   * body: lets many concurrent callers each script their own answer without racing on the queue.
   */
  private JsonNode inlineScript(byte[] body) {
    if (body.length == 0 || body[0] != '{') {
      return null;
    }
    try {
      JsonNode script = mapper.readTree(body).get("x_standin");
      return script != null && script.isObject() ? script : null;
    } catch (IOException e) {
      return null;
    }
  }

  private ObjectNode recordOf(HttpExchange exchange, byte[] body) {
    ObjectNode r = mapper.createObjectNode();
    r.put("method", exchange.getRequestMethod());
    r.put("path", exchange.getRequestURI().getRawPath());
    r.put("query", exchange.getRequestURI().getRawQuery());
    ObjectNode headers = r.putObject("headers");
    exchange
        .getRequestHeaders()
        .forEach(
            (name, values) -> {
              ArrayNode list = headers.putArray(name.toLowerCase(java.util.Locale.ROOT));
              values.forEach(list::add);
            });
    r.put("body", new String(body, StandardCharsets.UTF_8));
    return r;
  }

  /**
   * Plays one script: {@code hang} (answer nothing until gate {@code hang} opens or 10 min pass),
   * {@code events} (server-sent events, each flushed; {@code gates: {"i": name}} waits before event
   * i; {@code reset_after: n} breaks the connection after n events; {@code delay_ms} waits before
   * each event; {@code forever} repeats the events until the reader leaves), {@code huge_bytes}
   * (that many bytes of chat chunks as events, generated as they are sent), {@code
   * reset_before_headers} (drops the connection without answering), or a plain {@code body}. {@code
   * hang_ms} bounds a hang.
   */
  private void play(HttpExchange exchange, JsonNode script) throws IOException {
    if (script.path("reset_before_headers").asBoolean(false)) {
      throw new ScriptedReset("stand-in: scripted reset before the response headers");
    }
    if (script.path("hang").asBoolean(false)) {
      if (script.has("hang_ms")) {
        sleep(script.get("hang_ms").asLong());
      } else {
        await(script.path("gate").asText("hang"));
      }
      send(exchange, 200, "application/json", COMPLETION);
      return;
    }
    if (script.has("huge_bytes")) {
      hugeStream(exchange, script.get("huge_bytes").asLong());
      return;
    }
    int status = script.path("status").asInt(200);
    script
        .path("headers")
        .fields()
        .forEachRemaining(
            h -> exchange.getResponseHeaders().add(h.getKey(), h.getValue().asText()));
    if (script.has("events")) {
      exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
      exchange.sendResponseHeaders(status, 0);
      OutputStream out = exchange.getResponseBody();
      int resetAfter = script.path("reset_after").asInt(-1);
      long delay = script.path("delay_ms").asLong(0);
      boolean forever = script.path("forever").asBoolean(false);
      JsonNode events = script.get("events");
      try {
        for (int i = 0; i < events.size() || forever; i++) {
          if (forever && i >= events.size()) {
            i = 0;
          }
          if (delay > 0) {
            sleep(delay);
          }
          if (i == resetAfter) {
            throw new ScriptedReset("stand-in: scripted reset after " + i + " events");
          }
          String gate = script.path("gates").path(String.valueOf(i)).asText(null);
          if (gate != null) {
            await(gate);
          }
          out.write((events.get(i).asText() + "\n\n").getBytes(StandardCharsets.UTF_8));
          out.flush();
        }
      } catch (IOException e) {
        disconnects.incrementAndGet();
        throw e;
      }
      out.close();
      return;
    }
    String type = script.path("content_type").asText("application/json");
    JsonNode body = script.get("body");
    byte[] bytes =
        body == null
            ? COMPLETION
            : (body.isTextual() ? body.asText() : body.toString()).getBytes(StandardCharsets.UTF_8);
    send(exchange, status, type, bytes);
  }

  /**
   * {@code total} bytes of chat chunk events then {@code [DONE]}, written as generated: nothing is
   * held.
   */
  private void hugeStream(HttpExchange exchange, long total) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
    exchange.sendResponseHeaders(200, 0);
    byte[] event =
        ("data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"stand-in\","
                + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\""
                + "y".repeat(8000)
                + "\"},\"finish_reason\":null}]}\n\n")
            .getBytes(StandardCharsets.UTF_8);
    OutputStream out = exchange.getResponseBody();
    try {
      for (long sent = 0; sent < total; sent += event.length) {
        out.write(event);
      }
      out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      disconnects.incrementAndGet();
      throw e;
    }
    out.close();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private JsonNode defaultStream() {
    ObjectNode script = mapper.createObjectNode();
    ArrayNode events = script.putArray("events");
    for (String word : new String[] {"Hello", " from", " the stand-in."}) {
      events.add(
          "data: {\"id\":\"chatcmpl-standin\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
              + "\"model\":\"stand-in\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\""
              + word
              + "\"},\"finish_reason\":null}]}");
    }
    events.add("data: [DONE]");
    return script;
  }

  private void await(String gate) {
    try {
      gates.computeIfAbsent(gate, g -> new CountDownLatch(1)).await(10, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void control(HttpExchange exchange, String command) throws IOException {
    if (command.equals("enqueue")) {
      scripts.add(mapper.readTree(exchange.getRequestBody()));
      send(exchange, 200, "application/json", "{}".getBytes(StandardCharsets.UTF_8));
    } else if (command.startsWith("gates/")) {
      gates
          .computeIfAbsent(command.substring("gates/".length()), g -> new CountDownLatch(1))
          .countDown();
      send(exchange, 200, "application/json", "{}".getBytes(StandardCharsets.UTF_8));
    } else if (command.equals("take")) {
      String query = exchange.getRequestURI().getQuery();
      long timeout =
          query != null && query.startsWith("timeout_ms=")
              ? Long.parseLong(query.substring(11))
              : 5000;
      JsonNode next;
      try {
        next = recorded.poll(timeout, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        next = null;
      }
      if (next == null) {
        exchange.sendResponseHeaders(204, -1);
      } else {
        send(exchange, 200, "application/json", mapper.writeValueAsBytes(next));
      }
    } else if (command.equals("counters")) {
      send(
          exchange,
          200,
          "application/json",
          ("{\"requests\":" + requests.get() + ",\"disconnects\":" + disconnects.get() + "}")
              .getBytes(StandardCharsets.UTF_8));
    } else {
      send(
          exchange,
          404,
          "text/plain",
          ("no control route " + command).getBytes(StandardCharsets.UTF_8));
    }
  }

  private static void send(HttpExchange exchange, int status, String type, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
