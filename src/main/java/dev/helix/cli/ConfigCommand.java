package dev.helix.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helix.config.HelixConfig;
import dev.helix.config.Routing;
import dev.helix.config.Setting;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code helix config}: every effective setting with its source, then the routing decision. */
@Command(name = "config", mixinStandardHelpOptions = true,
    description = "Print every effective setting with where it came from, then the Headroom routing decision.")
final class ConfigCommand implements Callable<Integer> {
  private final Cli cli;
  private final ObjectMapper mapper;

  @Mixin ConfigOption config = new ConfigOption();

  @Option(names = "--json", description = "Print one JSON document: {settings, routing}.")
  boolean json;

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
      Map<String, Object> document = new LinkedHashMap<>();
      Map<String, Object> settings = new LinkedHashMap<>();
      for (Setting s : effective.settings().byKey().values()) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("value", s.value());
        entry.put("source", s.source());
        settings.put(s.key(), entry);
      }
      document.put("settings", settings);
      document.put("routing", routing.asMap());
      out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(document));
    } else {
      int width = effective.settings().byKey().keySet().stream().mapToInt(String::length).max().orElse(0);
      for (Setting s : effective.settings().byKey().values()) {
        out.printf("%-" + width + "s = %s  (%s)%n", s.key(), show(s.value()), s.source());
      }
      out.println();
      out.printf("routing: %s (%s: %s)%n", routing.routeViaHeadroom() ? "via Headroom" : "direct",
          routing.reason().code(), routing.reason().explanation());
      out.printf("  server upstream: %s%n", routing.serverUpstream());
      if (routing.openaiTargetApiUrl() != null) {
        out.printf("  real upstream (OPENAI_TARGET_API_URL): %s%n", routing.openaiTargetApiUrl());
      }
    }
    out.flush();
    return ExitCodes.OK;
  }

  private static String show(Object value) {
    return value == null ? "(unset)" : value instanceof String s ? "\"" + s + "\"" : value.toString();
  }
}
