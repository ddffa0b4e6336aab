package dev.helix.http;

import com.sun.net.httpserver.Headers;

/** What both daemons ask of a request before they route it. */
public final class Requests {
  private Requests() {}

  /** Whether the request carries a body: chunked, or a Content-Length other than 0. */
  public static boolean hasBody(Headers headers) {
    String length = headers.getFirst("Content-Length");
    return headers.containsKey("Transfer-Encoding")
        || (length != null && !length.trim().equals("0"));
  }
}
