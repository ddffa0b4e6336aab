package dev.helix.reliability;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The local-security attacks of docs/security.md against any {@link AttackTarget}: DNS rebinding
 * (foreign, empty or missing Host), CSRF (foreign Origin, {@code Origin: null}, cross-site fetches)
 * and simple-request bodies (forms, text/plain). An attack counts as refused when the answer has
 * the expected status, grants no CORS, and a state-changing attack left the daemon as it was.
 */
final class AttackSuite {
  /** One hostile request and the refusal it must get. */
  record Attack(
      String description,
      String method,
      String path,
      List<String> headers,
      @Nullable String body,
      Set<Integer> refusedWith,
      boolean stateChanging) {}

  /** What a run found: how many attacks were tried, how many refused, and what got through. */
  record Report(int tried, int refused, List<String> failures) {
    Report {
      failures = List.copyOf(failures);
    }
  }

  /** Host headers a DNS-rebinding page or a confused proxy could send; null = no Host line. */
  static final List<@Nullable String> FOREIGN_HOSTS =
      java.util.Arrays.asList(
          "evil.example",
          "localhost.evil.com",
          "127.0.0.1.nip.io",
          "",
          null,
          "localhost:evil",
          "[::1]evil.example",
          "evil.example:11437",
          "127.0.0.2",
          "0.0.0.0.evil.example");

  private AttackSuite() {}

  /**
   * Every attack for {@code target}; each carries the target's own credentials, so only the guard
   * can refuse it.
   */
  static List<Attack> attacks(AttackTarget target) {
    List<Attack> attacks = new ArrayList<>();
    String ownHost = "Host: 127.0.0.1:" + target.port();
    String json = "application/json";
    for (String host : FOREIGN_HOSTS) {
      List<String> hostLine = host == null ? List.of() : List.of("Host: " + host);
      String what = host == null ? "no Host" : "Host '" + host + "'";
      for (String read : target.readPaths()) {
        attacks.add(
            new Attack(
                what + " on GET " + read,
                "GET",
                read,
                with(target, hostLine),
                null,
                Set.of(403),
                false));
      }
      attacks.add(
          new Attack(
              what + " on POST " + target.stateChangingPath(),
              "POST",
              target.stateChangingPath(),
              with(target, hostLine, "Content-Type: " + json),
              "{}",
              Set.of(403),
              true));
    }
    for (String origin :
        List.of(
            "http://evil.example",
            "null",
            "http://localhost:1",
            "https://127.0.0.1:" + target.port(),
            "http://127.0.0.1.nip.io:" + target.port())) {
      attacks.add(
          new Attack(
              "Origin '" + origin + "' on POST",
              "POST",
              target.stateChangingPath(),
              with(target, List.of(ownHost), "Origin: " + origin, "Content-Type: " + json),
              "{}",
              Set.of(403),
              true));
    }
    attacks.add(
        new Attack(
            "Sec-Fetch-Site: cross-site on POST",
            "POST",
            target.stateChangingPath(),
            with(target, List.of(ownHost), "Sec-Fetch-Site: cross-site", "Content-Type: " + json),
            "{}",
            Set.of(403),
            true));
    for (String type :
        List.of(
            "application/x-www-form-urlencoded",
            "text/plain",
            "multipart/form-data; boundary=x",
            "text/plain; charset=application/json")) {
      attacks.add(
          new Attack(
              "a " + type + " body on POST",
              "POST",
              target.stateChangingPath(),
              with(target, List.of(ownHost), "Content-Type: " + type),
              "a=1",
              Set.of(415),
              true));
    }
    attacks.add(
        new Attack(
            "an untyped body on POST",
            "POST",
            target.stateChangingPath(),
            with(target, List.of(ownHost)),
            "{}",
            Set.of(415),
            true));
    return attacks;
  }

  /** Sends every attack, checking the daemon after each state-changing one. */
  static Report run(AttackTarget target) throws IOException {
    int refused = 0;
    List<Attack> attacks = attacks(target);
    List<String> failures = new ArrayList<>();
    for (Attack attack : attacks) {
      RawHttp.Response response =
          RawHttp.send(
              target.port(), attack.method(), attack.path(), attack.headers(), attack.body());
      List<String> wrong = new ArrayList<>();
      if (!attack.refusedWith().contains(response.status())) {
        wrong.add(
            "answered "
                + response.status()
                + " ("
                + response.body()
                + "), expected "
                + attack.refusedWith());
      }
      if (response.header("Access-Control-Allow-Origin") != null) {
        wrong.add(
            "granted CORS: Access-Control-Allow-Origin: "
                + response.header("Access-Control-Allow-Origin"));
      }
      if (attack.stateChanging() && !target.stillAlive()) {
        wrong.add(
            target.name()
                + " no longer answers "
                + target.probePath()
                + ": the attack had its effect");
      }
      if (wrong.isEmpty()) {
        refused++;
      } else {
        failures.add(attack.description() + ": " + String.join("; ", wrong));
        if (!target.stillAlive()) {
          break; // nothing left to attack
        }
      }
    }
    return new Report(attacks.size(), refused, failures);
  }

  private static List<String> with(AttackTarget target, List<String> first, String... more) {
    List<String> headers = new ArrayList<>(first);
    headers.addAll(List.of(more));
    headers.addAll(target.authHeaders());
    return headers;
  }
}
