package dev.helix.server;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import dev.helix.compress.Tokens;
import dev.helix.config.BudgetConfig;
import dev.helix.context.ContentType;
import dev.helix.context.ContextAnswer;
import dev.helix.context.ContextRequest;
import dev.helix.context.ContextService;
import dev.helix.context.IngestProgress;
import dev.helix.context.IngestReport;
import dev.helix.context.PacketAnswer;
import dev.helix.context.PacketRequest;
import dev.helix.context.SourceLines;
import dev.helix.context.TaskType;
import dev.helix.context.UnknownRootException;
import dev.helix.context.Verdict;
import dev.helix.http.JsonResponses;
import dev.helix.http.QueryString;
import dev.helix.proxy.ChatProxy;
import dev.helix.store.StoreUnavailableException;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * {@code POST /context}, {@code /context/packet} and {@code /ingest}: the store's HTTP face
 * (docs/api.md).
 */
final class ContextRoutes {
  private final ContextService context;
  private final BudgetConfig budget;
  private final ObjectMapper mapper;
  private final JsonResponses json;
  private final Retrievals retrieved;
  private final Runnable rootsChanged;
  private final ChatProxy proxy;
  private final Tokens tokens;

  /**
   * Told of each retrieval: who asked ({@code context}, {@code packet}), its verdict and latency.
   */
  @FunctionalInterface
  interface Retrievals {
    void retrieved(String source, Verdict verdict, long latencyMs);
  }

  ContextRoutes(
      ContextService context,
      BudgetConfig budget,
      ObjectMapper mapper,
      JsonResponses json,
      Retrievals retrieved,
      Runnable rootsChanged,
      ChatProxy proxy,
      Tokens tokens) {
    this.context = context;
    this.proxy = proxy;
    this.tokens = tokens;
    this.rootsChanged = rootsChanged;
    this.budget = budget;
    this.mapper = mapper;
    this.json = json;
    this.retrieved = retrieved;
  }

  /** A block the proxy would add to a chat, and its size in tokens. */
  record Injection(String text, int tokens) {}

  /**
   * {@code /context}'s answer with {@code injection} beside it (null when the proxy would add
   * nothing).
   */
  record WithInjection(@JsonUnwrapped ContextAnswer answer, @Nullable Injection injection) {}

  void register(Router router) {
    router
        .add("GET", "/source", this::source)
        .add("POST", "/context", this::context)
        .add("POST", "/context/packet", this::packet)
        .add("POST", "/ingest", this::ingest);
  }

  private void context(HttpExchange exchange, byte[] body) throws IOException {
    JsonBody request = JsonBody.parse(mapper, body);
    ContextRequest query =
        new ContextRequest(
            request.requiredText("query"),
            request.positiveInt("max_tokens", budget.contextTokens()),
            request.positiveInt("max_chunks", budget.maxChunks()),
            request.optionalTextList("roots"));
    ContextAnswer answer = failing("context lookup", () -> context.context(query));
    retrieved.retrieved("context", answer.verdict(), answer.latencyMs());
    if (request.optionalBoolean("injection", false)) {
      // What the proxy would add to a chat for this question, for the dashboard's question box.
      json.send(
          exchange,
          200,
          new WithInjection(
              answer,
              proxy
                  .injection(answer)
                  .map(text -> new Injection(text, tokens.count(text)))
                  .orElse(null)));
    } else {
      json.send(exchange, 200, answer);
    }
  }

  /** {@code GET /source?path=P&start=S&end=E}: cited lines, for the dashboard's citations. */
  private void source(HttpExchange exchange, byte[] body) throws IOException {
    Map<String, String> query = QueryString.parse(exchange.getRequestURI().getRawQuery());
    String path = query.get("path");
    if (path == null || path.isBlank()) {
      throw ApiException.badField(
          "path", "give the source's path: GET /source?path=/abs/File.java&start=1&end=40");
    }
    int start = Query.positive(query, "start", 1);
    int end = Query.positive(query, "end", start + 199);
    SourceLines lines;
    try {
      lines = context.lines(path, start, end);
    } catch (NoSuchFileException e) {
      throw new ApiException(
          404, path + ": " + e.getReason(), "not_found_error", "path", "unknown_source");
    } catch (IOException e) {
      throw new ApiException(
          500, "reading " + path + " failed: " + e.getMessage(), null, "store_error");
    }
    json.send(exchange, 200, lines);
  }

  private void packet(HttpExchange exchange, byte[] body) throws IOException {
    JsonBody request = JsonBody.parse(mapper, body);
    String query = request.requiredText("query");
    TaskType taskType;
    try {
      taskType = TaskType.parse(request.requiredText("task_type"));
    } catch (IllegalArgumentException e) {
      throw ApiException.badField("task_type", e.getMessage());
    }
    PacketRequest packet =
        new PacketRequest(
            query,
            taskType,
            request.positiveInt("max_chunks", budget.maxChunks()),
            request.optionalTextList("roots"));
    long start = System.nanoTime();
    PacketAnswer answer = failing("evidence packet", () -> context.packet(packet));
    retrieved.retrieved("packet", answer.verdict(), (System.nanoTime() - start) / 1_000_000);
    json.send(exchange, 200, answer);
  }

  private void ingest(HttpExchange exchange, byte[] body) throws IOException {
    JsonBody request = JsonBody.parse(mapper, body);
    if (request.has("paths")) {
      List<Path> paths = new ArrayList<>();
      for (String p : request.textList("paths")) {
        try {
          // Relative paths mean the server's working folder; clients should send absolute ones.
          paths.add(Path.of(p).toAbsolutePath().normalize());
        } catch (InvalidPathException e) {
          throw ApiException.badField(
              "paths", "paths holds '" + p + "', which is not a path: " + e.getReason());
        }
      }
      List<@Nullable String> names = request.optionalNames("names", paths.size());
      IngestReport report =
          failing("ingest of " + paths, () -> context.ingest(paths, names, IngestProgress.NONE));
      rootsChanged.run();
      json.send(exchange, 200, report);
      return;
    }
    if (request.optionalBoolean("sync", false)) {
      IngestReport report = failing("sync of every root", () -> context.sync(IngestProgress.NONE));
      rootsChanged.run();
      json.send(exchange, 200, report);
      return;
    }
    if (!request.has("content")) {
      throw ApiException.badField(
          "content",
          "send either content (with content_type text, code or conversation),"
              + " paths (an array of files and folders, with names beside it if you like), or sync: true (every root)");
    }
    String content = request.requiredText("content");
    if (content.indexOf('\0') >= 0) {
      throw ApiException.badField(
          "content",
          "content holds a NUL byte at index "
              + content.indexOf('\0')
              + "; helix stores text only: send text, or ingest the file by its path");
    }
    String typeWord = request.optionalText("content_type");
    ContentType type;
    try {
      type = typeWord == null ? ContentType.TEXT : ContentType.parse(typeWord);
    } catch (IllegalArgumentException e) {
      throw ApiException.badField("content_type", e.getMessage());
    }
    String source = request.optionalText("source");
    json.send(
        exchange,
        200,
        failing("ingest of posted content", () -> context.ingestContent(content, type, source)));
  }

  private interface StoreCall<T> {
    T call() throws IOException;
  }

  /** A store failure is the server's, not the request's: 500 naming what failed. */
  private static <T> T failing(String what, StoreCall<T> call) {
    try {
      return call.call();
    } catch (UnknownRootException e) {
      throw new ApiException(400, e.getMessage(), "roots", "unknown_root");
    } catch (IllegalArgumentException e) {
      throw new ApiException(400, e.getMessage(), null, "invalid_value");
    } catch (NoSuchFileException e) {
      throw ApiException.badField(
          "paths",
          "no such file or folder: "
              + e.getFile()
              + "; send paths that exist on the server's machine (absolute paths)");
    } catch (StoreUnavailableException e) {
      throw new ApiException(503, what + " failed: " + e.getMessage(), null, "store_unavailable");
    } catch (IOException e) {
      throw new ApiException(500, what + " failed: " + e.getMessage(), null, "store_error");
    }
  }
}
