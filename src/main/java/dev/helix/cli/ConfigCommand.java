package dev.helix.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helix.config.HelixConfig;
import dev.helix.config.Routing;
import dev.helix.config.Setting;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code helix config}: every effective setting with its source, then the routing decision. */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description =
        "Print every effective setting with where it came from, then the Headroom routing decision.")
final class ConfigCommand implements Callable<Integer> {
  private final Cli cli;
  private final ObjectMapper mapper;

  @Mixin ConfigOption config = new ConfigOption();

  @Option(names = "--json", description = "Print one JSON document: {settings, routing}.")
  boolean json;

  /** One setting in {@code --json}: its effective value and where it came from. */
  record Entry(@Nullable Object value, String source) {}

  /** {@code --json}'s document: every setting by key, then the routing decision. */
  record Document(Map<String, Entry> settings, Map<String, @Nullable Object> routing) {}

  ConfigCommand(Cli cli, ObjectMapper mapper) {
    this.cli = cli;
    this.mapper = mapper;
  }

  @Override
  public Integer call() throws Exception {
    HelixConfig effective = cli.load(config.path).config();
    Routing routing = effective.routing();
    PrintWriter out = cli.out();
    if (json) {
      Map<String, Entry> settings = new LinkedHashMap<>();
      for (Setting s : effective.settings().byKey().values()) {
        settings.put(s.key(), new Entry(s.value(), s.source()));
      }
      out.println(
          mapper
              .writerWithDefaultPrettyPrinter()
              .writeValueAsString(new Document(settings, routing.asMap())));
    } else {
      int width =
          effective.settings().byKey().keySet().stream().mapToInt(String::length).max().orElse(0);
      for (Setting s : effective.settings().byKey().values()) {
        out.printf("%-" + width + "s = %s  (%s)%n", s.key(), show(s.value()), s.source());
      }
      out.println();
      out.printf(
          "routing: %s (%s: %s)%n",
          routing.routeViaHeadroom() ? "via Headroom" : "direct",
          routing.reason().code(),
          routing.reason().explanation());
      out.printf("  server upstream: %s%n", routing.serverUpstream());
      if (routing.openaiTargetApiUrl() != null) {
        out.printf("  real upstream (OPENAI_TARGET_API_URL): %s%n", routing.openaiTargetApiUrl());
      }
    }
    out.flush();
    return ExitCodes.OK;
  }

  private static String show(Object value) {
    return value == null
        ? "(unset)"
        : value instanceof String s ? "\"" + s + "\"" : value.toString();
  }
}
