package dev.helix.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenSearchConfigTest {
  @TempDir Path cwd;
  @TempDir Path home;

  private ConfigLoader.Loaded load(String toml, Map<String, String> env) throws Exception {
    Files.writeString(cwd.resolve("helix.toml"), toml);
    return new ConfigLoader(env, cwd, home).load(null);
  }

  @Test
  void theEmbeddedStoreIsTheDefaultAndTheOwnerIsUserAtHost() throws Exception {
    HelixConfig config = load("", Map.of("USER", "ada", "HOSTNAME", "lab1")).config();

    assertThat(config.store().backend()).isEqualTo("lucene");
    assertThat(config.store().onOpenSearch()).isFalse();
    assertThat(config.store().opensearch())
        .isEqualTo(
            new OpenSearchConfig(
                List.of("http://localhost:9200"), "helix", null, null, null, true, "ada@lab1"));
    assertThat(config.settings().get("store.opensearch.owner"))
        .get()
        .extracting(Setting::value)
        .isEqualTo("ada@lab1");
  }

  @Test
  void theOpenSearchSectionIsReadWithItsLinesAndNoUnknownKeyWarning() throws Exception {
    ConfigLoader.Loaded loaded =
        load(
            """
        [store]
        backend = "opensearch"

        [store.opensearch]
        urls = ["https://a:9200", "https://b:9200"]
        index = "team"
        username = "helix"
        tls_verify = false
        owner = "ci@build"
        """,
            Map.of());

    StoreConfig store = loaded.config().store();
    assertThat(store.onOpenSearch()).isTrue();
    assertThat(store.opensearch())
        .isEqualTo(
            new OpenSearchConfig(
                List.of("https://a:9200", "https://b:9200"),
                "team",
                "helix",
                null,
                null,
                false,
                "ci@build"));
    assertThat(loaded.warnings()).isEmpty();
    assertThat(loaded.config().settings().sourceOf("store.opensearch.index"))
        .endsWith("helix.toml:6");
  }

  @Test
  void secretsComeFromTheEnvironmentAndAreShownAsStars() throws Exception {
    HelixConfig config =
        load(
                "[store.opensearch]\npassword = \"from-file\"\n",
                Map.of("HELIX_OPENSEARCH_PASSWORD", "s3cret", "HELIX_OPENSEARCH_API_KEY", "k3y"))
            .config();

    assertThat(config.store().opensearch().password()).isEqualTo("s3cret");
    assertThat(config.store().opensearch().apiKey()).isEqualTo("k3y");
    Setting password = config.settings().get("store.opensearch.password").orElseThrow();
    assertThat(password.value()).isEqualTo("***");
    assertThat(password.source()).isEqualTo("env:HELIX_OPENSEARCH_PASSWORD");
    assertThat(config.settings().get("store.opensearch.api_key").orElseThrow().value())
        .isEqualTo("***");
    assertThat(config.settings().get("store.opensearch.username").orElseThrow().value()).isNull();
    assertThat(config.store().opensearch().toString()).doesNotContain("s3cret", "k3y");
  }

  @Test
  void anUnknownBackendIsAnErrorListingTheAllowedOnes() {
    assertThatThrownBy(() -> load("[store]\nbackend = \"elastic\"\n", Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("helix.toml:2:1")
        .hasMessageContaining(
            "store.backend = \"elastic\" is not allowed; use one of lucene, opensearch");
  }

  @Test
  void aMistypedKeyOfTheSectionIsAWarningWithASuggestionAndAMistypedPasswordIsNeverShown()
      throws Exception {
    ConfigLoader.Loaded loaded = load("[store.opensearch]\nindx = \"x\"\n", Map.of());
    assertThat(loaded.warnings())
        .singleElement()
        .asString()
        .contains("unknown key store.opensearch.indx")
        .contains("did you mean store.opensearch.index?");

    assertThatThrownBy(() -> load("[store.opensearch]\npassword = 12345\n", Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("store.opensearch.password must be a string")
        .hasMessageNotContaining("12345");
  }
}
