package io.scaleout.gateway.web;

import io.scaleout.common.config.ConfigException;
import io.scaleout.common.config.Settings;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** TRUSTED_PROXIES as the gateway reads it at start. */
class HttpConfigTest {

  private static HttpConfig http(String trustedProxies) {
    return HttpConfig.from(Settings.load("gateway", Map.of("TRUSTED_PROXIES", trustedProxies)));
  }

  @Test
  void addressesAndRangesOfBothFamiliesAreRead() {
    HttpConfig config = http(" 127.0.0.1 , 10.0.0.0/8,fd00::/8 ");

    assertThat(config.trustedProxies().contains("127.0.0.1")).isTrue();
    assertThat(config.trustedProxies().contains("10.42.0.17")).isTrue();
    assertThat(config.trustedProxies().contains("fd00:42::17")).isTrue();
    assertThat(config.trustedProxies().contains("192.168.0.1")).isFalse();
    assertThat(http("").trustedProxies().isEmpty()).as("the default: nobody is trusted").isTrue();
  }

  @Test
  void aBadEntryStopsTheStartNamingTheVariableAndTheEntry() {
    assertThatThrownBy(() -> http("127.0.0.1,10.0.0.0/40"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("TRUSTED_PROXIES")
        .hasMessageContaining("'10.0.0.0/40'");
    assertThatThrownBy(() -> http("nginx"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("TRUSTED_PROXIES entry 'nginx' is not an IP address");
  }
}
