package dev.helix.store;

import java.io.IOException;

/**
 * The store's cluster cannot be reached or refuses helix (down, overloaded, wrong credentials): not
 * a fault of the request, and not lasting damage to the store. Callers answer 503 and let chat
 * calls go on without context.
 */
public final class StoreUnavailableException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String url;

  public StoreUnavailableException(String url, String message, Throwable cause) {
    super(message, cause);
    this.url = url;
  }

  public StoreUnavailableException(String url, String message) {
    super(message);
    this.url = url;
  }

  /** The cluster URL that failed, as errors name it. */
  public String url() {
    return url;
  }
}
