package dev.helix.proxy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Why a call to the upstream failed, as the client sees it: refused or unreachable is 502, timed
 * out is 504 (docs/api.md). The message names the URL that failed; when the launcher routes through
 * Headroom it names both hops, so the user knows which one to fix.
 *
 * @param kind the metrics label: refused, unreachable, timeout, broken
 */
record UpstreamFailure(int status, String kind, String code, String message) {

  /** Classifies an exception from calling {@code target}, which is under {@code upstream}. */
  static UpstreamFailure of(
      IOException e,
      UpstreamUrl upstream,
      URI target,
      @Nullable String realUpstream,
      Duration timeout) {
    String seconds = seconds(timeout);
    Hop hop = new Hop(upstream, target, realUpstream);
    if (e instanceof HttpConnectTimeoutException) {
      return new UpstreamFailure(
          502,
          "unreachable",
          "upstream_unreachable",
          hop.subject() + " could not be connected to within " + seconds + hop.after() + hop.fix());
    }
    if (e instanceof HttpTimeoutException || e instanceof UpstreamResponse.IdleTimeoutException) {
      return new UpstreamFailure(
          504,
          "timeout",
          "upstream_timeout",
          hop.subject()
              + " did not answer within "
              + seconds
              + " ([server] upstream_timeout)"
              + hop.behind()
              + "; raise [server] upstream_timeout if the model is just slow");
    }
    if (causedBy(e, UnresolvedAddressException.class) || causedBy(e, UnknownHostException.class)) {
      return new UpstreamFailure(
          502,
          "unreachable",
          "upstream_unreachable",
          hop.subject() + " has a host name that does not resolve" + hop.after() + hop.fix());
    }
    if (causedBy(e, ConnectException.class)) {
      return new UpstreamFailure(
          502,
          "refused",
          "upstream_unreachable",
          hop.subject() + " refused the connection" + hop.after() + hop.fix());
    }
    return new UpstreamFailure(
        502,
        "broken",
        "upstream_unreachable",
        hop.subject()
            + " closed the connection without a complete answer ("
            + describe(e)
            + ")"
            + hop.behind()
            + hop.fix());
  }

  /** The failure of a stream that stopped in the middle, sent as the stream's last event. */
  static UpstreamFailure midStream(
      IOException e,
      UpstreamUrl upstream,
      URI target,
      @Nullable String realUpstream,
      Duration timeout) {
    Hop hop = new Hop(upstream, target, realUpstream);
    if (e instanceof UpstreamResponse.IdleTimeoutException) {
      return new UpstreamFailure(
          504,
          "timeout",
          "upstream_timeout",
          hop.subject()
              + " sent nothing for "
              + seconds(timeout)
              + " in the middle of the stream ([server] upstream_timeout)"
              + hop.behind());
    }
    return new UpstreamFailure(
        502,
        "broken",
        "upstream_stream_broken",
        hop.subject() + " broke off the stream (" + describe(e) + ")" + hop.behind());
  }

  private static String seconds(Duration timeout) {
    double s = timeout.toMillis() / 1000.0;
    return (s == Math.rint(s) ? String.valueOf((long) s) : String.valueOf(s)) + " s";
  }

  private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  /** The hop that failed, as a message names it. */
  private record Hop(UpstreamUrl upstream, URI target, @Nullable String realUpstream) {
    String subject() {
      return realUpstream == null
          ? "upstream " + UpstreamUrl.redact(target.toString())
          : "Headroom at "
              + upstream.hostAndPort()
              + " ("
              + UpstreamUrl.redact(target.toString())
              + ")";
    }

    String after() {
      return realUpstream == null
          ? ""
          : "; real upstream " + UpstreamUrl.redact(realUpstream) + " was not reached";
    }

    String behind() {
      return realUpstream == null
          ? ""
          : "; real upstream "
              + UpstreamUrl.redact(realUpstream)
              + " is behind it and may be the slow or failing hop";
    }

    String fix() {
      return realUpstream == null
          ? "; check that the LLM server is running there, or set [server] upstream"
          : "; start Headroom (helix up), or stop routing through it ([headroom] route_upstream = false)";
    }
  }
}
