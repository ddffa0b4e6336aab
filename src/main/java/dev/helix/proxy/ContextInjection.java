package dev.helix.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.helix.context.Citation;
import dev.helix.context.ContextAnswer;
import dev.helix.context.MissReason;
import dev.helix.context.Verdict;
import java.util.Locale;
import java.util.Optional;

/**
 * What the proxy adds to a chat request (docs/api.md): the query is the last user message's text;
 * the verdict decides whether a delimited, cited context block goes into the first system message.
 */
final class ContextInjection {
  static final String BEGIN = "<<<helix-context";
  static final String END = "<<<end helix-context>>>";

  private ContextInjection() {}

  /**
   * The text of the last {@code user} message (string content, or the text parts of array content).
   */
  static Optional<String> query(ArrayNode messages) {
    for (int i = messages.size() - 1; i >= 0; i--) {
      JsonNode message = messages.get(i);
      if (!"user".equals(message.path("role").asText())) {
        continue;
      }
      JsonNode content = message.path("content");
      if (content.isTextual()) {
        return Optional.of(content.asText());
      }
      StringBuilder text = new StringBuilder();
      if (content.isArray()) {
        for (JsonNode part : content) {
          if ("text".equals(part.path("type").asText()) && part.path("text").isTextual()) {
            text.append(text.isEmpty() ? "" : "\n").append(part.path("text").asText());
          }
        }
      }
      return Optional.of(text.toString());
    }
    return Optional.empty();
  }

  /**
   * The block to inject for an answer, or empty when nothing is added: a {@code no_match} miss, or
   * a window with no text. A sparse or stale miss is added under a warning line that says so; a
   * sparse miss brings only its cited locations unless {@code sparseWindow}: a whole window of weak
   * matches (8 chunks, 13 KB in an outside test) is mostly noise in a chat about something else.
   */
  static Optional<String> block(ContextAnswer answer, boolean sparseWindow) {
    if (answer.context().isBlank()) {
      return Optional.empty();
    }
    String warning =
        switch (answer.verdict()) {
          case Verdict.Know k -> null;
          case Verdict.Miss m ->
              switch (m.reason()) {
                case NO_MATCH -> "";
                case SPARSE ->
                    "WARNING: helix verdict is miss (sparse): this context matches the question only weakly."
                        + " Do not answer from it as fact; use it as a lead and verify it.";
                case STALE ->
                    "WARNING: helix verdict is miss (stale): the source files changed or vanished after they"
                        + " were indexed"
                        + refresh(m)
                        + ". Do not answer from it as fact; verify it against the current files.";
              };
        };
    if ("".equals(warning)) {
      return Optional.empty();
    }
    StringBuilder block = new StringBuilder();
    block.append(BEGIN).append(" verdict=").append(answer.verdict().word());
    if (answer.verdict() instanceof Verdict.Miss m) {
      block.append(" reason=").append(m.reason().word());
    }
    block.append(" chunks=").append(answer.citations().size()).append(">>>\n");
    if (warning != null) {
      block.append(warning).append('\n');
    }
    boolean locationsOnly =
        !sparseWindow
            && answer.verdict() instanceof Verdict.Miss m
            && m.reason() == MissReason.SPARSE;
    if (locationsOnly) {
      block.append(
          "Places in the user's local files that may be related (not retrieved, only located by helix):\n");
    } else {
      block.append(
          "The following was retrieved by helix from the user's local knowledge store."
              + " Cite it by its source path and lines.\n\n");
      block.append(answer.context().strip()).append("\n\nSources:\n");
    }
    int n = 1;
    for (Citation c : answer.citations()) {
      block
          .append('[')
          .append(n++)
          .append("] ")
          .append(c.source())
          .append(':')
          .append(c.startLine())
          .append('-')
          .append(c.endLine())
          .append(" (chunk ")
          .append(c.chunkId())
          .append(String.format(Locale.ROOT, ", score %.3f", c.score()))
          .append(c.stale() ? ", STALE" : "")
          .append(")\n");
    }
    block.append(END);
    return Optional.of(block.toString());
  }

  private static String refresh(Verdict.Miss miss) {
    return miss.refreshTargets().isEmpty()
        ? ""
        : " (refresh: " + String.join(", ", miss.refreshTargets()) + ")";
  }

  /**
   * Puts the block into the first system message, keeping every other message as it was: appended
   * to string content, added as a text part to array content, or a new system message in front.
   */
  static void inject(ArrayNode messages, String block) {
    for (JsonNode message : messages) {
      if (message instanceof ObjectNode system && "system".equals(system.path("role").asText())) {
        JsonNode content = system.path("content");
        if (content instanceof ArrayNode parts) {
          parts.addObject().put("type", "text").put("text", block);
        } else if (content.isTextual() && !content.asText().isEmpty()) {
          system.put("content", content.asText() + "\n\n" + block);
        } else {
          system.put("content", block);
        }
        return;
      }
    }
    ObjectNode system = JsonNodeFactory.instance.objectNode();
    system.put("role", "system");
    system.put("content", block);
    messages.insert(0, system);
  }
}
