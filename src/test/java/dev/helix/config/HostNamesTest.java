package dev.helix.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The host-name facts the launcher's probes and bind checks rely on. */
class HostNamesTest {
  @Test
  void aWildcardBindIsDialledOnLoopbackAndAnyOtherHostAsItIs() {
    assertThat(HostNames.dialable("0.0.0.0")).isEqualTo("127.0.0.1");
    assertThat(HostNames.dialable("::")).isEqualTo("127.0.0.1");
    assertThat(HostNames.dialable("[::]")).isEqualTo("127.0.0.1");
    assertThat(HostNames.dialable("::1")).isEqualTo("::1");
    assertThat(HostNames.dialable("192.168.1.5")).isEqualTo("192.168.1.5");
    assertThat(HostNames.isWildcard("127.0.0.1")).isFalse();
  }

  @Test
  void loopbackIsTheNameTheLiteralsAndAnyAddressIn127() {
    assertThat(HostNames.isLoopback("LocalHost")).isTrue();
    assertThat(HostNames.isLoopback("[::1]")).isTrue();
    assertThat(HostNames.isLoopback("127.0.0.2")).isTrue();
    assertThat(HostNames.isLoopback("0.0.0.0")).isFalse();
  }
}
