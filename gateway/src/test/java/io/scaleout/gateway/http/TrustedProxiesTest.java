package io.scaleout.gateway.http;

import io.scaleout.common.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The TRUSTED_PROXIES matcher: single addresses and CIDR ranges of both families, and the entries it refuses. */
class TrustedProxiesTest {

  private static TrustedProxies of(String... entries) {
    return TrustedProxies.parse("TRUSTED_PROXIES", List.of(entries));
  }

  @Test
  void anIpv4RangeHoldsTheAddressesUnderItsPrefixOnly() {
    TrustedProxies proxies = of("10.0.0.0/8", "192.168.4.0/22", "172.16.0.0/12");

    assertThat(proxies.contains("10.0.0.0")).isTrue();
    assertThat(proxies.contains("10.255.255.255")).isTrue();
    assertThat(proxies.contains("11.0.0.0")).isFalse();
    assertThat(proxies.contains("9.255.255.255")).isFalse();
    assertThat(proxies.contains("192.168.4.1")).isTrue();
    assertThat(proxies.contains("192.168.7.254")).as("the last of a /22").isTrue();
    assertThat(proxies.contains("192.168.8.1")).isFalse();
    assertThat(proxies.contains("192.168.3.255")).isFalse();
    assertThat(proxies.contains("172.31.0.9")).isTrue();
    assertThat(proxies.contains("172.32.0.9")).isFalse();
  }

  @Test
  void aSingleAddressAndASlash32HoldOneAddress() {
    for (TrustedProxies proxies : List.of(of("127.0.0.1"), of("127.0.0.1/32"))) {
      assertThat(proxies.contains("127.0.0.1")).isTrue();
      assertThat(proxies.contains("127.0.0.2")).isFalse();
      assertThat(proxies.contains("127.0.0.0")).isFalse();
    }
  }

  @Test
  void anIpv6RangeHoldsTheAddressesUnderItsPrefixOnly() {
    TrustedProxies proxies = of("fd00::/8", "2001:db8:1::/48", "::1");

    assertThat(proxies.contains("fd12:3456::1")).isTrue();
    assertThat(proxies.contains("fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")).isTrue();
    assertThat(proxies.contains("fc00::1")).isFalse();
    assertThat(proxies.contains("fe00::1")).isFalse();
    assertThat(proxies.contains("2001:db8:1:ffff::7")).isTrue();
    assertThat(proxies.contains("2001:DB8:1::7")).as("any case").isTrue();
    assertThat(proxies.contains("2001:db8:2::7")).isFalse();
    assertThat(proxies.contains("::1")).isTrue();
    assertThat(proxies.contains("0:0:0:0:0:0:0:1")).as("another spelling of ::1").isTrue();
    assertThat(proxies.contains("::2")).isFalse();
    assertThat(of("fd00::1/128").contains("fd00::1")).isTrue();
    assertThat(of("fd00::1/128").contains("fd00::2")).isFalse();
  }

  @Test
  void slashZeroHoldsEveryAddressOfItsFamilyAndNoOther() {
    assertThat(of("0.0.0.0/0").contains("203.0.113.9")).isTrue();
    assertThat(of("0.0.0.0/0").contains("2001:db8::1")).isFalse();
    assertThat(of("::/0").contains("2001:db8::1")).isTrue();
    assertThat(of("::/0").contains("203.0.113.9")).isFalse();
  }

  @Test
  void anIpv4AddressWrittenAsIpv6IsTheIpv4Address() {
    assertThat(of("10.0.0.0/8").contains("::ffff:10.1.2.3")).isTrue();
    assertThat(of("10.0.0.0/8").contains("::ffff:11.1.2.3")).isFalse();
    assertThat(of("::ffff:10.1.2.3").contains("10.1.2.3")).isTrue();
  }

  @Test
  void whatIsNotAnAddressIsNeverTrusted() {
    TrustedProxies proxies = of("0.0.0.0/0", "::/0");

    for (String text : new String[] {"", "unknown", "localhost", "10.0.0", "10.0.0.1:8080", "[::1]", "10.0.0.1 ", "_hidden", null}) {
      assertThat(proxies.contains(text)).as("'%s'", text).isFalse();
    }
    assertThat(of().isEmpty()).isTrue();
    assertThat(of().contains("127.0.0.1")).isFalse();
  }

  @Test
  void badEntriesFailNamingTheVariableAndTheEntry() {
    for (String entry : new String[] {"10.0.0.0/33", "fd00::/129", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/8/8", "10.0.0.0/a",
        "10.0.0.1/8", "fd00::1/8", "300.1.2.3", "10.0.0", "gateway.example.com", "localhost", "fe80::1%eth0", "[::1]",
        "10.0.0.0 /8", "10.0.0.0/ 8"}) {
      assertThatThrownBy(() -> of("127.0.0.1", entry)).as(entry)
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("TRUSTED_PROXIES")
          .hasMessageContaining("'" + entry + "'");
    }
    assertThatThrownBy(() -> of("10.1.2.3/8")).hasMessageContaining("10.0.0.0/8");
    assertThatThrownBy(() -> of("10.0.0.0/33")).hasMessageContaining("0..32");
    assertThatThrownBy(() -> of("fd00::/129")).hasMessageContaining("0..128");
  }
}
