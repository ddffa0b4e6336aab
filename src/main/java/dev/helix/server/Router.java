package dev.helix.server;

import com.sun.net.httpserver.HttpExchange;
import dev.helix.http.JsonResponses;
import dev.helix.http.LocalGuard;
import dev.helix.http.Requests;
import dev.helix.proxy.ChatProxy;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every request's path through the server: the local guard (Host, Origin, content type), the token,
 * the body limit, then its route; every refusal in OpenAI's error shape, every answer counted.
 */
final class Router {
  private static final Logger log = LoggerFactory.getLogger(Router.class);

  private final LocalGuard guard;
  private final TokenCheck token;
  private final long maxBodyBytes;
  private final ChatProxy proxy;
  private final ServerMetrics metrics;
  private final JsonResponses json;
  private final Map<String, Map<String, Route>> routes = new LinkedHashMap<>();
  private final Map<String, Map<String, Route>> prefixed = new LinkedHashMap<>();
  private volatile int port;

  Router(
      LocalGuard guard,
      TokenCheck token,
      long maxBodyBytes,
      ChatProxy proxy,
      ServerMetrics metrics,
      JsonResponses json) {
    this.guard = guard;
    this.token = token;
    this.maxBodyBytes = maxBodyBytes;
    this.proxy = proxy;
    this.metrics = metrics;
    this.json = json;
  }

  /** Adds a route; paths are exact. */
  Router add(String method, String path, Route route) {
    routes.computeIfAbsent(path, p -> new LinkedHashMap<>()).put(method, route);
    return this;
  }

  /**
   * Adds a route for every path under {@code prefix} (which ends with '/'), as {@code DELETE
   * /roots/{name}}.
   */
  Router addUnder(String method, String prefix, Route route) {
    prefixed.computeIfAbsent(prefix, p -> new LinkedHashMap<>()).put(method, route);
    return this;
  }

  /** The port the server listens on, which is its own Origin. */
  void listeningOn(int port) {
    this.port = port;
  }

  /** {@code /v1} and everything under it goes to the upstream. */
  static boolean isProxied(String path) {
    return path.equals("/v1") || path.startsWith("/v1/");
  }

  void handle(HttpExchange exchange) {
    long start = System.nanoTime();
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath();
    try {
      dispatch(exchange, method, path);
    } catch (ApiException e) {
      sendError(exchange, e);
    } catch (IOException e) {
      // The client went away or broke the connection: nothing can be answered any more.
      log.debug("{} {}: connection ended early: {}", method, path, e.toString());
    } catch (RuntimeException e) {
      log.error("{} {} failed", method, path, e);
      sendError(
          exchange,
          new ApiException(
              500,
              "helix failed to answer " + method + " " + path + ": " + e + "; see the server log",
              null,
              "internal_error"));
    } finally {
      // Closed only here: an error answer above must still be able to write.
      exchange.close();
      metrics.request(
          metricsRoute(path), method, exchange.getResponseCode(), System.nanoTime() - start);
    }
  }

  private void dispatch(HttpExchange exchange, String method, String path) throws IOException {
    boolean hasBody = Requests.hasBody(exchange.getRequestHeaders());
    Optional<LocalGuard.Rejection> rejection =
        guard.check(method, exchange.getRequestHeaders(), hasBody, port);
    if (rejection.isPresent()) {
      throw new ApiException(rejection.get().status(), rejection.get().message(), null, "refused");
    }
    Optional<String> unauthorized = token.check(path, exchange.getRequestHeaders());
    if (unauthorized.isPresent()) {
      if (!isProxied(path)) {
        exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"helix\"");
      }
      throw new ApiException(
          401, unauthorized.get(), "authentication_error", null, "invalid_token");
    }
    byte[] body = hasBody ? readBody(exchange) : new byte[0];
    if (isProxied(path)) {
      proxy.handle(exchange, body);
      return;
    }
    Map<String, Route> byMethod = routes.get(path);
    if (byMethod == null) {
      byMethod =
          prefixed.entrySet().stream()
              .filter(e -> path.startsWith(e.getKey()) && path.length() > e.getKey().length())
              .map(Map.Entry::getValue)
              .findFirst()
              .orElse(null);
    }
    if (byMethod == null) {
      throw new ApiException(
          404,
          "no route " + path + "; helix serves " + served(),
          "not_found_error",
          null,
          "no_route");
    }
    Route route = byMethod.get(method);
    if (route == null) {
      exchange.getResponseHeaders().set("Allow", String.join(", ", byMethod.keySet()));
      throw new ApiException(
          405,
          method
              + " is not allowed on "
              + path
              + "; use "
              + String.join(" or ", new TreeSet<>(byMethod.keySet())),
          null,
          "method_not_allowed");
    }
    route.handle(exchange, body);
  }

  /**
   * Every path a route is registered for, as the 404 lists them: {@code /v1/*, /context, ... and
   * /roots/*}.
   */
  String served() {
    List<String> paths = new ArrayList<>();
    paths.add("/v1/*");
    paths.addAll(new TreeSet<>(routes.keySet()));
    prefixed.keySet().stream().sorted().map(prefix -> prefix + "*").forEach(paths::add);
    return String.join(", ", paths.subList(0, paths.size() - 1)) + " and " + paths.getLast();
  }

  private byte[] readBody(HttpExchange exchange) throws IOException {
    String declared = exchange.getRequestHeaders().getFirst("Content-Length");
    long length = -1;
    if (declared != null) {
      try {
        length = Long.parseLong(declared.trim());
      } catch (NumberFormatException e) {
        throw new ApiException(
            400, "Content-Length '" + declared + "' is not a number", null, "invalid_length");
      }
      if (length < 0) {
        throw new ApiException(
            400, "Content-Length '" + declared + "' is negative", null, "invalid_length");
      }
      if (length > maxBodyBytes) {
        throw tooLarge(length + " bytes");
      }
    }
    try (InputStream in = exchange.getRequestBody()) {
      if (length >= 0 && !exchange.getRequestHeaders().containsKey("Transfer-Encoding")) {
        // Read into one array of the declared size rather than growing buffers: every chat pays for
        // this.
        byte[] bytes = new byte[(int) length];
        int read = in.readNBytes(bytes, 0, bytes.length);
        if (read < bytes.length) {
          throw new IOException(
              "the client sent " + read + " of the " + length + " bytes it declared");
        }
        return bytes;
      }
      byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
      if (bytes.length > maxBodyBytes) {
        throw tooLarge("more than " + maxBodyBytes + " bytes");
      }
      return bytes;
    }
  }

  private ApiException tooLarge(String size) {
    return new ApiException(
        413,
        "the request body is "
            + size
            + ", over [server] max_body_bytes = "
            + maxBodyBytes
            + "; send less, or raise the limit in helix.toml",
        null,
        "body_too_large");
  }

  private void sendError(HttpExchange exchange, ApiException e) {
    if (exchange.getResponseCode() != -1) {
      log.warn("cannot report an error after the answer began: {}", e.getMessage());
      return;
    }
    try {
      json.sendError(exchange, e.status(), e.getMessage(), e.type(), e.param(), e.code());
    } catch (IOException io) {
      log.debug("could not send the error answer: {}", io.toString());
    }
  }

  /** A bounded set of route labels for metrics: known paths, the chat route, other /v1 routes. */
  private String metricsRoute(String path) {
    if (path.equals("/v1/chat/completions") || routes.containsKey(path)) {
      return path;
    }
    for (String prefix : prefixed.keySet()) {
      if (path.startsWith(prefix)) {
        return prefix + "*";
      }
    }
    return isProxied(path) ? "/v1/*" : "other";
  }
}
