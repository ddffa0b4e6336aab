package dev.helix.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeaderRulesTest {
  /** The headers {@link HeaderRules#forwardRequest} sends on, as "Name: value". */
  private static List<String> forwarded(Map<String, List<String>> in) {
    List<String> out = new ArrayList<>();
    HeaderRules.forwardRequest(in, (name, value) -> out.add(name + ": " + value));
    return out;
  }

  @Test
  void endToEndHeadersAndAuthorizationAreForwardedButHopByHopAndHelixTokenAreNot() {
    Map<String, List<String>> in = new LinkedHashMap<>();
    in.put("Authorization", List.of("Bearer sk-user"));
    in.put("Openai-Organization", List.of("org-1"));
    in.put("Connection", List.of("keep-alive, X-Private"));
    in.put("X-private", List.of("hop"));
    in.put("Keep-Alive", List.of("timeout=5"));
    in.put("Host", List.of("127.0.0.1:11437"));
    in.put("Content-Length", List.of("12"));
    in.put("Transfer-Encoding", List.of("chunked"));
    in.put("X-Helix-Token", List.of("helix-secret"));
    assertThat(forwarded(in))
        .containsExactly("Authorization: Bearer sk-user", "Openai-Organization: org-1");
  }

  @Test
  void headersListedInAnyConnectionEntryAreDropped() {
    Map<String, List<String>> in = new LinkedHashMap<>();
    in.put("Connection", List.of("X-First"));
    in.put("connection", List.of("X-Second"));
    in.put("X-First", List.of("hop"));
    in.put("X-Second", List.of("hop"));
    in.put("X-Kept", List.of("end-to-end"));
    assertThat(forwarded(in)).containsExactly("X-Kept: end-to-end");
  }

  @Test
  void corsGrantsFromTheUpstreamAreNeverRelayed() {
    Map<String, List<String>> in = new LinkedHashMap<>();
    in.put("content-type", List.of("application/json"));
    in.put("access-control-allow-origin", List.of("*"));
    in.put("x-request-id", List.of("req-1"));
    in.put("content-length", List.of("10"));
    List<String> out = new ArrayList<>();
    HeaderRules.relayResponse(in, (name, value) -> out.add(name + ": " + value));
    assertThat(out).containsExactly("content-type: application/json", "x-request-id: req-1");
  }
}
