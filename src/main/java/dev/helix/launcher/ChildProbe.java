package dev.helix.launcher;

import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What a supervisor asks about one kind of child: the answers that differ between the helix server
 * and Headroom (how each is recognised, refused, asked to exit).
 */
interface ChildProbe {
  /** A child of this kind already answering at its address: adopted instead of started. */
  Optional<Adoptee> answering();

  /** Why the child must not be started now (its port is held, its command is missing), if so. */
  Optional<String> refusal();

  /** False when the child's command is not installed: it then rests as absent, not stopped. */
  boolean installed();

  /** True once the child we started, {@code pid}, answers. */
  boolean ready(long pid);

  /** True while an adopted child ({@code pid} when known) still answers. */
  boolean answers(@Nullable Long pid);

  /** Asks the child to exit on its own before it is signalled; false when it has no such way. */
  boolean askToExit();

  /** The process listening on the child's port, which confirms an adopted child's pid. */
  Optional<Long> portHolder();

  /** Waits until nothing listens on the child's port any more; true when it is free. */
  boolean awaitReleased(Duration wait);

  /** A child found answering: its pid when it is known. */
  record Adoptee(@Nullable Long pid) {}
}
