package io.scaleout.common.api;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ClientNetworksTest {

  @Test
  void anIpv4AddressIsItsOwnKeyAndAnIpv6OneItsSlash64() {
    assertThat(ClientNetworks.limitKey("203.0.113.7")).isEqualTo("203.0.113.7");
    assertThat(ClientNetworks.limitKey("2001:db8:1:2:aaaa::1")).isEqualTo("2001:db8:1:2::/64");
    assertThat(ClientNetworks.limitKey("2001:0db8:0001:0002:ffff:ffff:ffff:ffff")).isEqualTo("2001:db8:1:2::/64");
    assertThat(ClientNetworks.limitKey("2001:db8:1:3::1")).isNotEqualTo(ClientNetworks.limitKey("2001:db8:1:2::1"));
  }

  @Test
  void anIpv4MappedAddressIsTheIpv4AddressAndWhatIsNoAddressStaysAsItIs() {
    assertThat(ClientNetworks.limitKey("::ffff:203.0.113.7")).isEqualTo("203.0.113.7");
    assertThat(ClientNetworks.limitKey("unknown")).isEqualTo("unknown");
    assertThat(ClientNetworks.limitKey("zz::zz")).isEqualTo("zz::zz");
    assertThat(ClientNetworks.limitKey(null)).isNull();
  }
}
