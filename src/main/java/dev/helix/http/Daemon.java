package dev.helix.http;

/**
 * Which of helix's local daemons a {@link LocalClient} talks to: its name as messages give it, and
 * what the user does when it is not running.
 *
 * @param name how messages name it ("helix server")
 * @param start what to do when nothing listens, as a clause ("start it with ./helix up")
 */
public record Daemon(String name, String start) {
  /** The helix server: the store's owner, with the JSON routes and the chat proxy. */
  public static final Daemon SERVER =
      new Daemon("helix server", "start it with ./helix up (or helix serve)");

  /** The launcher: supervisor of the server and of a managed Headroom, with the dashboard. */
  public static final Daemon LAUNCHER = new Daemon("helix launcher", "start it with ./helix up");

  /** Headroom's local HTTP surface, which helix asks to compress and whose readiness it checks. */
  public static final Daemon HEADROOM =
      new Daemon("Headroom", "start it, or let ./helix up start it with [headroom] enabled = true");

  public Daemon {
    if (name.isBlank() || start.isBlank()) {
      throw new IllegalArgumentException(
          "a daemon needs a name and a way to start it, got '" + name + "', '" + start + "'");
    }
  }
}
