package dev.helix.mcp;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.CountDownLatch;

/**
 * Stdin that tells when it has ended. The SDK's stdio transport stops reading at end of input but
 * leaves its scheduler threads running, so the process would outlive its agent; the command waits
 * for this signal instead and then exits. The end is held back from the reader until
 * {@link #release()}: once the SDK sees it, it drops every answer not yet written, and calls that
 * are still running deserve a moment to answer.
 */
final class EndOfInput extends FilterInputStream {
  private final CountDownLatch ended = new CountDownLatch(1);
  private final CountDownLatch released = new CountDownLatch(1);

  EndOfInput(InputStream in) {
    super(in);
  }

  @Override
  public int read() throws IOException {
    return watch(() -> super.read());
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    return watch(() -> super.read(b, off, len));
  }

  @Override
  public void close() throws IOException {
    ended.countDown();
    super.close();
  }

  /** Blocks until the input has ended (or failed). */
  void await() throws InterruptedException {
    ended.await();
  }

  /** Lets the reader see the end of input. */
  void release() {
    released.countDown();
  }

  private interface Read {
    int run() throws IOException;
  }

  private void awaitRelease() throws IOException {
    try {
      released.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while holding back the end of stdin");
    }
  }

  private int watch(Read read) throws IOException {
    try {
      int n = read.run();
      if (n < 0) {
        ended.countDown();
        awaitRelease();
      }
      return n;
    } catch (IOException e) {
      // A broken stdin is an ended conversation too: the agent is gone.
      ended.countDown();
      throw e;
    }
  }
}
