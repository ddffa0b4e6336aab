package dev.helix.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * A stand-in helix server with a busy store: {@code /health} with helix's identity and a reachable
 * upstream, and {@code GET /stats} with store totals and 20 recent queries (14 know, 6 miss),
 * behind {@code Authorization: Bearer TOKEN}. Args: {@code --port P --token T [--claim-pid N]}:
 * with {@code --claim-pid}, an impostor that gives another process's pid as its own.
 */
public final class StandInHelix {
  private StandInHelix() {}

  public static void main(String[] args) throws IOException {
    int port = Integer.parseInt(args[1]);
    String token = args[3];
    long pid = args.length > 5 ? Long.parseLong(args[5]) : ProcessHandle.current().pid();
    ObjectMapper mapper = new ObjectMapper();
    HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
    http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    http.createContext(
        "/",
        exchange -> {
          try (exchange) {
            String route = exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
            switch (route) {
              case "GET /health" ->
                  StandInHeadroom.send(
                      exchange,
                      200,
                      mapper.writeValueAsBytes(
                          Map.of(
                              "service",
                              "helix",
                              "version",
                              "stand-in",
                              "pid",
                              pid,
                              "status",
                              "ok",
                              "upstream",
                              Map.of("url", "https://upstream.example/v1", "reachable", true))),
                      "application/json");
              case "GET /stats" -> {
                if (!("Bearer " + token)
                    .equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                  StandInHeadroom.send(
                      exchange,
                      401,
                      "{\"error\":{\"message\":\"token\"}}".getBytes(StandardCharsets.UTF_8),
                      "application/json");
                  return;
                }
                List<Map<String, Object>> recent = new ArrayList<>();
                long now = System.currentTimeMillis();
                for (int i = 0; i < 20; i++) {
                  recent.add(
                      Map.of(
                          "at",
                          now - (20 - i) * 1000L,
                          "verdict",
                          i % 10 < 7 ? "know" : "miss",
                          "latency_ms",
                          12 + (i * 37) % 90));
                }
                Map<String, Object> stats = new LinkedHashMap<>();
                stats.put("chunks", 1234);
                stats.put("sources", 56);
                stats.put("store_bytes", 7_340_032);
                stats.put("vectors_pending", 310);
                stats.put("queries", Map.of("total", 20, "know", 14, "miss", 6, "recent", recent));
                StandInHeadroom.send(
                    exchange, 200, mapper.writeValueAsBytes(stats), "application/json");
              }
              default ->
                  StandInHeadroom.send(
                      exchange, 404, "{}".getBytes(StandardCharsets.UTF_8), "application/json");
            }
          }
        });
    http.start();
  }
}
