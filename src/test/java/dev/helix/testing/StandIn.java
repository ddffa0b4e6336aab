package dev.helix.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link StandInUpstream} child process and the test's handle on it: enqueue scripted answers,
 * take the requests it received, open gates. Close it to stop the process.
 */
public final class StandIn implements AutoCloseable {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Process process;
  private final int port;
  private final HttpClient control = HttpClient.newHttpClient();

  private StandIn(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts the stand-in with the test JVM's java and class path, on a free loopback port. */
  public static StandIn start() throws IOException {
    String java = ProcessHandle.current().info().command().orElseThrow();
    Process process =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                StandInUpstream.class.getName(),
                "--exit-on-stdin-eof")
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    if (line == null || !line.startsWith("listening ")) {
      process.destroyForcibly();
      throw new IOException("the stand-in upstream did not start; it printed: " + line);
    }
    return new StandIn(process, Integer.parseInt(line.substring("listening ".length()).trim()));
  }

  public int port() {
    return port;
  }

  /** {@code http://127.0.0.1:PORT}, with no path: helix adds {@code /v1}. */
  public String url() {
    return "http://127.0.0.1:" + port;
  }

  /** Plays {@code script} for the next request that is not a control request. */
  public void enqueue(Script script) {
    post("enqueue", script.json.toString());
  }

  /** The oldest request not yet taken, waiting up to 10 s for one. */
  public Recorded takeRequest() {
    HttpResponse<String> response =
        call(HttpRequest.newBuilder(URI.create(url() + "/_standin/take?timeout_ms=10000")).GET());
    if (response.statusCode() == 204) {
      throw new AssertionError("the stand-in upstream received no request within 10 s");
    }
    try {
      return new Recorded(MAPPER.readTree(response.body()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Lets a script waiting on {@code gate} go on. */
  public void openGate(String gate) {
    post("gates/" + gate, "{}");
  }

  /** How many streams broke because the reader (helix) closed the connection. */
  public long disconnects() {
    try {
      return MAPPER
          .readTree(
              call(HttpRequest.newBuilder(URI.create(url() + "/_standin/counters")).GET()).body())
          .path("disconnects")
          .asLong();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void post(String command, String body) {
    HttpResponse<String> response =
        call(
            HttpRequest.newBuilder(URI.create(url() + "/_standin/" + command))
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    if (response.statusCode() != 200) {
      throw new AssertionError(
          "stand-in control "
              + command
              + " answered "
              + response.statusCode()
              + ": "
              + response.body());
    }
  }

  private HttpResponse<String> call(HttpRequest.Builder request) {
    try {
      return control.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    process.destroy();
    control.close();
  }

  /** A request the stand-in received. */
  public record Recorded(JsonNode json) {
    public String method() {
      return json.path("method").asText();
    }

    public String path() {
      return json.path("path").asText();
    }

    /** The first value of a header (names are case-insensitive), or null. */
    public String header(String name) {
      JsonNode values = json.path("headers").path(name.toLowerCase(java.util.Locale.ROOT));
      return values.isArray() && !values.isEmpty() ? values.get(0).asText() : null;
    }

    public String body() {
      return json.path("body").asText();
    }

    public JsonNode bodyJson() {
      try {
        return MAPPER.readTree(body());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** A scripted answer. */
  public static final class Script {
    private final ObjectNode json = MAPPER.createObjectNode();

    private Script() {}

    /** A plain answer: status, content type and body as given. */
    public static Script body(int status, String contentType, String body) {
      Script s = new Script();
      s.json.put("status", status).put("content_type", contentType).put("body", body);
      return s;
    }

    /** Server-sent events, each written as {@code item + "\n\n"} and flushed. */
    public static Script events(List<String> events) {
      Script s = new Script();
      events.forEach(s.json.putArray("events")::add);
      return s;
    }

    /** {@code n} chat chunks of {@code size} characters each, then {@code [DONE]}. */
    public static Script chunks(int n, int size) {
      List<String> events = new ArrayList<>();
      String text = "x".repeat(size);
      for (int i = 0; i < n; i++) {
        events.add(
            "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"stand-in\","
                + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\""
                + text
                + "\"},\"finish_reason\":null}]}");
      }
      events.add("data: [DONE]");
      return events(events);
    }

    /** Answers nothing until {@code gate} opens. */
    public static Script hang(String gate) {
      Script s = new Script();
      s.json.put("hang", true).put("gate", gate);
      return s;
    }

    /** Waits for {@code gate} before sending event {@code index}. */
    public Script gateBefore(int index, String gate) {
      json.withObjectProperty("gates").put(String.valueOf(index), gate);
      return this;
    }

    /** Breaks the connection after {@code n} events. */
    public Script resetAfter(int n) {
      json.put("reset_after", n);
      return this;
    }

    public Script header(String name, String value) {
      json.withObjectProperty("headers").put(name, value);
      return this;
    }

    public Script status(int status) {
      json.put("status", status);
      return this;
    }
  }
}
