package dev.helix.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * An upstream response body read piece by piece as it arrives, with a limit on each idle gap (not on
 * the whole body: a long stream that keeps talking is never cut). One item is requested at a time,
 * so a slow client slows the upstream instead of filling memory; {@link #cancel()} closes the
 * upstream call.
 */
final class BodyStream implements Flow.Subscriber<List<ByteBuffer>> {
  /** The upstream went quiet for longer than the idle limit. */
  static final class IdleTimeoutException extends IOException {
    IdleTimeoutException(String message) {
      super(message);
    }
  }

  private static final Object END = new Object();

  private final BlockingQueue<Object> items = new LinkedBlockingQueue<>();
  private volatile Flow.@Nullable Subscription subscription;
  private volatile boolean cancelled;

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    if (cancelled) {
      s.cancel();
    } else {
      s.request(1);
    }
  }

  @Override
  public void onNext(List<ByteBuffer> buffers) {
    items.add(buffers);
  }

  @Override
  public void onError(Throwable error) {
    items.add(error);
  }

  @Override
  public void onComplete() {
    items.add(END);
  }

  /**
   * The next piece of the body, or null at its end.
   *
   * @throws IdleTimeoutException when nothing arrived within {@code idle}
   * @throws IOException when the upstream connection failed
   */
  byte @Nullable [] next(Duration idle) throws IOException {
    Object item;
    try {
      item = items.poll(idle.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      cancel();
      throw new IOException("interrupted while reading the upstream body", e);
    }
    if (item == null) {
      cancel();
      throw new IdleTimeoutException("no data for " + idle.toSeconds() + " s");
    }
    if (item == END) {
      return null;
    }
    if (item instanceof Throwable t) {
      throw t instanceof IOException io ? io : new IOException(t.getMessage(), t);
    }
    @SuppressWarnings("unchecked")
    List<ByteBuffer> buffers = (List<ByteBuffer>) item;
    int size = 0;
    for (ByteBuffer b : buffers) {
      size += b.remaining();
    }
    byte[] bytes = new byte[size];
    int at = 0;
    for (ByteBuffer b : buffers) {
      int n = b.remaining();
      b.get(bytes, at, n);
      at += n;
    }
    Flow.Subscription s = subscription;
    if (s != null) {
      s.request(1);
    }
    return bytes;
  }

  /** Reads the rest of the body, keeping at most {@code limit} bytes (the rest is read and dropped). */
  byte[] readAll(Duration idle, int limit) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] piece = next(idle); piece != null; piece = next(idle)) {
      int room = limit - out.size();
      if (room > 0) {
        out.write(piece, 0, Math.min(room, piece.length));
      }
    }
    return out.toByteArray();
  }

  /** Stops reading and closes the upstream call. */
  void cancel() {
    cancelled = true;
    Flow.Subscription s = subscription;
    if (s != null) {
      s.cancel();
    }
  }
}
