package dev.helix.proxy;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.helix.config.HelixConfig;
import dev.helix.context.ContentType;
import dev.helix.context.ContextAnswer;
import dev.helix.context.ContextRequest;
import dev.helix.context.ContextService;
import dev.helix.context.Verdict;
import dev.helix.http.JsonResponses;
import dev.helix.store.StoreUnavailableException;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenAI-compatible proxy behind {@code /v1/*} (docs/api.md): chat completions get helix
 * context injected according to the verdict; every other {@code /v1} route is passed through
 * unchanged. Redirects are never followed, and the upstream's status is relayed only once it has
 * answered.
 */
public final class ChatProxy implements AutoCloseable {
  /** What the server counts: each retrieval's verdict, each upstream failure. */
  public interface Listener {
    /** A chat request was looked up in the store. */
    void retrieved(Verdict verdict, long latencyMs);

    /**
     * The upstream failed: {@code refused}, {@code unreachable}, {@code timeout}, {@code broken} or
     * {@code status_NNN}.
     */
    void upstreamFailed(String kind);
  }

  static final String CONTEXT_HEADER = "X-Helix-Context";
  static final String CHUNKS_HEADER = "X-Helix-Chunks";
  static final String STORE_HEADER = "X-Helix-Store";
  private static final String CHAT_PATH = "/v1/chat/completions";

  /**
   * The TCP connect limit: a loopback or LAN connect takes microseconds and a WAN one well under a
   * second, so 10 s only ever trips on a dead route; the whole answer still has upstream_timeout.
   */
  private static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private static final Logger log = LoggerFactory.getLogger(ChatProxy.class);

  private final UpstreamUrl upstream;

  /** Where a plain chat call goes, parsed once: building a URI showed in the proxy's profile. */
  private final URI chatTarget;

  private final Duration timeout;
  private final int contextTokens;
  private final int maxChunks;
  private final boolean sparseWindow;
  private final boolean learn;
  private final ContextService context;
  private final Listener listener;
  private final ObjectMapper mapper;
  private final JsonResponses json;
  private final UpstreamClient client;
  private final UpstreamProbe probe;
  private final Relay.Setup relaying;

  /**
   * @throws IllegalArgumentException when {@code [server] upstream} is not an http(s) URL
   */
  public ChatProxy(
      HelixConfig config, ContextService context, Listener listener, ObjectMapper mapper) {
    this.upstream = UpstreamUrl.parse(config.server().upstream());
    this.chatTarget = upstream.resolve(CHAT_PATH, null);
    this.timeout = config.server().upstreamTimeout();
    this.contextTokens = config.budget().contextTokens();
    this.maxChunks = config.budget().maxChunks();
    this.sparseWindow = config.budget().sparseWindow();
    this.learn = config.server().learn();
    this.context = context;
    this.listener = listener;
    this.mapper = mapper;
    this.json = new JsonResponses(mapper);
    Duration connectTimeout =
        timeout.compareTo(MAX_CONNECT_TIMEOUT) < 0 ? timeout : MAX_CONNECT_TIMEOUT;
    this.client =
        new UpstreamClient(connectTimeout, UpstreamClient.defaultTls(), Clock.systemUTC());
    this.probe = new UpstreamProbe(client, upstream.models());
    this.relaying =
        new Relay.Setup(upstream, config.server().targetApiUrl(), timeout, listener, json, mapper);
  }

  /**
   * The block this proxy would put into a chat's system message for {@code answer}, exactly; empty
   * when it would add nothing (a no_match miss).
   */
  public Optional<String> injection(ContextAnswer answer) {
    return ContextInjection.block(answer, sparseWindow);
  }

  /** The upstream base as configured, without credentials. */
  public String upstreamUrl() {
    return upstream.display();
  }

  /** Whether the last background probe of the upstream got any HTTP answer (never blocks). */
  public boolean upstreamReachable() {
    return probe.reachable();
  }

  /**
   * Answers one request under {@code /v1}; the body has been read (and size-checked) by the caller.
   * Errors are sent in OpenAI's shape; an IOException means the client went away.
   */
  public void handle(HttpExchange exchange, byte[] body) throws IOException {
    String method = exchange.getRequestMethod();
    URI requested = exchange.getRequestURI();
    boolean chat = method.equals("POST") && requested.getPath().equals(CHAT_PATH);
    URI target =
        chat && requested.getRawQuery() == null && requested.getRawPath().equals(CHAT_PATH)
            ? chatTarget
            : upstream.resolve(requested.getRawPath(), requested.getRawQuery());
    Prepared prepared = Prepared.unchanged(body);
    if (chat) {
      exchange.getResponseHeaders().set(CONTEXT_HEADER, "miss");
      exchange.getResponseHeaders().set(CHUNKS_HEADER, "0");
      Optional<Prepared> p = prepareChat(exchange, body);
      if (p.isEmpty()) {
        return;
      }
      prepared = p.get();
      exchange.getResponseHeaders().set(CONTEXT_HEADER, prepared.verdict());
      exchange.getResponseHeaders().set(CHUNKS_HEADER, String.valueOf(prepared.chunks()));
      if (prepared.storeUnavailable()) {
        exchange.getResponseHeaders().set(STORE_HEADER, "unavailable");
      }
    }
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    HeaderRules.forwardRequest(
        exchange.getRequestHeaders(), (name, value) -> headers.add(Map.entry(name, value)));
    UpstreamResponse response;
    try {
      response =
          client.send(
              method,
              target,
              headers,
              prepared.body().length == 0 ? null : prepared.body(),
              timeout);
    } catch (IllegalArgumentException e) {
      json.sendError(
          exchange,
          400,
          "helix cannot forward this request to "
              + UpstreamUrl.redact(target.toString())
              + ": "
              + e.getMessage(),
          "invalid_request_error",
          null,
          "invalid_header");
      return;
    } catch (IOException e) {
      relaying.fail(exchange, relaying.failure(e, target));
      return;
    }
    try (response) {
      Relay relay = new Relay(exchange, response, target, relaying);
      if (response.status() >= 400) {
        listener.upstreamFailed("status_" + response.status());
        relay.error();
      } else if (relay.isEventStream() || prepared.stream()) {
        relay.events();
      } else if (chat) {
        byte[] reply = relay.buffered();
        if (reply != null && learn && prepared.query() != null) {
          learn(prepared.query(), reply);
        }
      } else {
        relay.plain();
      }
    }
  }

  private Optional<Prepared> prepareChat(HttpExchange exchange, byte[] body) throws IOException {
    JsonNode root;
    try {
      root = mapper.readTree(body);
    } catch (IOException e) {
      // Not only JacksonException: a body Jackson takes for UTF-32 fails as
      // CharConversionException.
      String why = e instanceof JacksonException j ? j.getOriginalMessage() : e.getMessage();
      json.sendError(
          exchange,
          400,
          "the chat request body is not valid JSON: "
              + why
              + "; send an OpenAI chat completion request",
          "invalid_request_error",
          null,
          "invalid_json");
      return Optional.empty();
    }
    if (!(root instanceof ObjectNode request)) {
      json.sendError(
          exchange,
          400,
          "the chat request body must be a JSON object, but was "
              + (root == null ? "empty" : root.getNodeType().name().toLowerCase(Locale.ROOT)),
          "invalid_request_error",
          null,
          "invalid_type");
      return Optional.empty();
    }
    boolean stream = request.path("stream").asBoolean(false);
    JsonNode messages = request.get("messages");
    if (messages == null) {
      return Optional.of(new Prepared(body, stream, "miss", 0, null, false));
    }
    if (!(messages instanceof ArrayNode list) || list.isEmpty()) {
      json.sendError(
          exchange,
          400,
          "messages must be a non-empty array of chat messages, but was "
              + (messages.isArray()
                  ? "empty"
                  : messages.getNodeType().name().toLowerCase(Locale.ROOT)),
          "invalid_request_error",
          "messages",
          messages.isArray() ? "empty_messages" : "invalid_type");
      return Optional.empty();
    }
    Optional<String> query = ContextInjection.query(list).filter(q -> !q.isBlank());
    if (query.isEmpty()) {
      return Optional.of(new Prepared(body, stream, "miss", 0, null, false));
    }
    ContextAnswer answer;
    long start = System.nanoTime();
    try {
      answer = context.context(new ContextRequest(query.get(), contextTokens, maxChunks));
    } catch (IOException | RuntimeException e) {
      // The chat must still work when retrieval fails: forward unchanged, and say so in the log
      // and, when the store's cluster is down, in a header the caller can read.
      log.warn(
          "context lookup failed, forwarding the chat request without context: {}", e.toString());
      return Optional.of(
          new Prepared(
              body, stream, "miss", 0, query.get(), e instanceof StoreUnavailableException));
    }
    listener.retrieved(answer.verdict(), (System.nanoTime() - start) / 1_000_000);
    Optional<String> block = ContextInjection.block(answer, sparseWindow);
    if (block.isEmpty()) {
      return Optional.of(
          new Prepared(body, stream, answer.verdict().word(), 0, query.get(), false));
    }
    ContextInjection.inject(list, block.get());
    return Optional.of(
        new Prepared(
            mapper.writeValueAsBytes(request),
            stream,
            answer.verdict().word(),
            answer.citations().size(),
            query.get(),
            false));
  }

  /** Stores a non-streamed assistant reply with its question ({@code [server] learn = true}). */
  private void learn(String query, byte[] reply) {
    try {
      JsonNode content =
          mapper.readTree(reply).path("choices").path(0).path("message").path("content");
      if (content.isTextual() && !content.asText().isBlank()) {
        context.ingestContent(
            "user: " + query + "\n\nassistant: " + content.asText(),
            ContentType.CONVERSATION,
            null);
      }
    } catch (IOException | RuntimeException e) {
      log.warn("[server] learn is on, but storing the chat reply failed: {}", e.toString());
    }
  }

  @Override
  public void close() {
    probe.close();
    client.close();
  }

  /** The request as it goes upstream, and what the proxy decided about it. */
  @SuppressWarnings("ArrayRecordComponent") // the body is handed on, never compared or changed
  private record Prepared(
      byte[] body,
      boolean stream,
      String verdict,
      int chunks,
      @Nullable String query,
      boolean storeUnavailable) {
    static Prepared unchanged(byte[] body) {
      return new Prepared(body, false, "miss", 0, null, false);
    }
  }
}
