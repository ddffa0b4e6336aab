package dev.helix.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.helix.text.Cut;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * What one call to a local daemon gave: {@link Ok}, or one of the four {@link Failure}s. The one
 * classification of failures for every caller of helix's own daemons.
 */
public sealed interface Reply {
  /** The URL called, as messages name it. */
  String url();

  /** The HTTP status, 0 when no answer came. */
  int status();

  /** The body as it came, empty when none came. */
  String body();

  /** A 2xx answer whose body is JSON. */
  record Ok(String url, int status, String body, JsonNode json) implements Reply {}

  /**
   * Why a call gave no usable answer, short ({@link #detail}) and as a whole sentence ({@link
   * #message}).
   */
  sealed interface Failure extends Reply {
    /** Which daemon was called. */
    Daemon daemon();

    /** What went wrong, as a parenthesis ("connection refused"). */
    String detail();

    /** What went wrong at which URL and what to do about it. */
    String message();
  }

  /** A failure before any answer came: no status, no body. */
  sealed interface NoAnswer extends Failure {
    @Override
    default int status() {
      return 0;
    }

    @Override
    default String body() {
      return "";
    }
  }

  /** Nothing listens there: the connection was refused. */
  record Refused(Daemon daemon, String url) implements NoAnswer {
    @Override
    public String detail() {
      return "connection refused";
    }

    @Override
    public String message() {
      return daemon.name()
          + " at "
          + url
          + " is not running ("
          + detail()
          + "): "
          + daemon.start()
          + ".";
    }
  }

  /**
   * No answer in time.
   *
   * @param connecting whether the connection itself was not accepted in time (a wrong or firewalled
   *     host), rather than the answer being late (a busy or stuck daemon)
   */
  record TimedOut(Daemon daemon, String url, boolean connecting, Duration after)
      implements NoAnswer {
    @Override
    public String detail() {
      return (connecting ? "no answer to the connection within " : "no answer within ")
          + seconds(after)
          + " s";
    }

    @Override
    public String message() {
      return connecting
          ? daemon.name()
              + " at "
              + url
              + " is not reachable ("
              + detail()
              + "): check the address, or "
              + daemon.start()
              + "."
          : daemon.name()
              + " at "
              + url
              + " did not answer ("
              + detail()
              + "): it may be busy or stuck; check its log, "
              + "then try again.";
    }
  }

  /**
   * An answer with a status other than 2xx.
   *
   * @param json the body when it is JSON, else null
   */
  record ErrorStatus(Daemon daemon, String url, int status, String body, @Nullable JsonNode json)
      implements Failure {
    /**
     * The daemon's own words: {@code error.message} of an OpenAI-shaped body, else the body,
     * shortened.
     */
    public String serverMessage() {
      JsonNode message = json == null ? null : json.path("error").path("message");
      return message != null && message.isTextual() ? message.asText() : quote(body);
    }

    @Override
    public String detail() {
      String said = serverMessage();
      return "HTTP " + status + (said.isEmpty() ? "" : ": " + said);
    }

    @Override
    public String message() {
      String todo =
          switch (status / 100) {
            case 5 -> "it failed; check its log, then try again";
            default ->
                status == 401 || status == 403
                    ? "it refused the request; check the token (HELIX_TOKEN or [server] token) and the host name"
                    : "it refused the request; fix what it names, then try again";
          };
      return daemon.name() + " at " + url + " answered " + detail() + ": " + todo + ".";
    }
  }

  /**
   * No usable answer: a 2xx whose body is empty or not JSON, or an exchange that broke before an
   * answer came (status 0: reset, closed early, no such host).
   *
   * @param why what was wrong with it, as a parenthesis ("a body that is not JSON")
   */
  record BadAnswer(Daemon daemon, String url, int status, String body, String why)
      implements Failure {
    @Override
    public String detail() {
      return why;
    }

    @Override
    public String message() {
      return status == 0
          ? "the call to "
              + daemon.name()
              + " at "
              + url
              + " broke ("
              + why
              + "): check its log, then try again."
          : daemon.name()
              + " at "
              + url
              + " answered "
              + status
              + " with "
              + why
              + (body.isBlank() ? "" : " (" + quote(body) + ")")
              + ": another program may own that port; check the address, or "
              + daemon.start()
              + ".";
    }
  }

  private static String quote(String text) {
    // Long bodies are cut: a message needs the gist (an HTML error page's title), not the page.
    int max = 300;
    String oneLine = text.strip().replaceAll("\\s+", " ");
    return oneLine.length() <= max ? oneLine : Cut.head(oneLine, max) + "...";
  }

  private static String seconds(Duration d) {
    long millis = d.toMillis();
    return millis % 1000 == 0 ? String.valueOf(millis / 1000) : String.valueOf(millis / 1000.0);
  }
}
