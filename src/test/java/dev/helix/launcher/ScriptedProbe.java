package dev.helix.launcher;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A {@link ChildProbe} whose answers the test sets: who answers, whether the port is free, and so
 * on.
 */
final class ScriptedProbe implements ChildProbe {
  /** A child found answering before any start (to adopt), or null. */
  volatile @Nullable Adoptee answering;

  volatile @Nullable String refusal;
  volatile boolean installed = true;
  volatile boolean ready = true;
  volatile boolean adoptedAnswers = true;
  volatile @Nullable Long portHolder;
  volatile boolean portFrees = true;

  /** What a child does when asked to exit; null for a child with no way to be asked. */
  volatile @Nullable Runnable onAsk;

  final AtomicInteger asked = new AtomicInteger();

  @Override
  public Optional<Adoptee> answering() {
    return Optional.ofNullable(answering);
  }

  @Override
  public Optional<String> refusal() {
    return Optional.ofNullable(refusal);
  }

  @Override
  public boolean installed() {
    return installed;
  }

  @Override
  public boolean ready(long pid) {
    return ready;
  }

  @Override
  public boolean answers(@Nullable Long pid) {
    return adoptedAnswers;
  }

  @Override
  public boolean askToExit() {
    Runnable ask = onAsk;
    if (ask == null) {
      return false;
    }
    asked.incrementAndGet();
    ask.run();
    return true;
  }

  @Override
  public Optional<Long> portHolder() {
    return Optional.ofNullable(portHolder);
  }

  @Override
  public boolean awaitReleased(Duration wait) {
    return portFrees;
  }
}
