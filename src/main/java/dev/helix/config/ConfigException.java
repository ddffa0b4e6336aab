package dev.helix.config;

import java.util.List;

/** A configuration that cannot be used; carries every problem found in the file at once. */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  public ConfigException(List<String> problems) {
    super(String.join("\n", problems));
    this.problems = List.copyOf(problems);
  }

  /** One line per problem, each naming file, line and column where known. */
  public List<String> problems() {
    return problems;
  }
}
