package dev.helix.server;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;

/** One route's handler: the request passed the guard and the token check, its body is read. */
@FunctionalInterface
interface Route {
  void handle(HttpExchange exchange, byte[] body) throws IOException;
}
