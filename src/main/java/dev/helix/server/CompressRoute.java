package dev.helix.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import dev.helix.compress.Compression;
import dev.helix.compress.CompressionRequest;
import dev.helix.compress.CompressionResult;
import dev.helix.compress.TargetTooSmallException;
import dev.helix.http.JsonResponses;
import java.io.IOException;

/**
 * {@code POST /compress}: the body of {@code helix compress --json}'s options, answered with its
 * JSON.
 */
final class CompressRoute {
  private final Compression compression;
  private final ObjectMapper mapper;
  private final JsonResponses json;

  CompressRoute(Compression compression, ObjectMapper mapper, JsonResponses json) {
    this.compression = compression;
    this.mapper = mapper;
    this.json = json;
  }

  void register(Router router) {
    router.add("POST", "/compress", this::compress);
  }

  private void compress(HttpExchange exchange, byte[] body) throws IOException {
    // Parsed first: a 400 naming line and column for bad JSON, or for a body that is not an object.
    JsonBody parsed = JsonBody.parse(mapper, body);
    CompressionRequest request;
    try {
      request = CompressionRequest.read(mapper, parsed.tree());
    } catch (CompressionRequest.InvalidField e) {
      throw ApiException.badField(e.field(), e.getMessage());
    }
    CompressionResult result;
    try {
      result = compression.compress(request);
    } catch (TargetTooSmallException e) {
      throw ApiException.badField("target", e.getMessage());
    }
    json.send(exchange, 200, result);
  }
}
