package io.scaleout.gateway.auth;

import io.scaleout.common.config.Settings;

import java.time.Duration;

/**
 * How the gateway resolves session tokens.
 *
 * @param cacheTtl        how long a resolved session is trusted without asking again (0: never cached)
 * @param cacheMax        most sessions (and most unknown tokens) remembered at once
 * @param unknownTtl      how long a token the session service did not know is refused here without asking
 * @param lookupsPerSecond session lookups one client address may cost per second (a flood of made-up
 *                        tokens is refused, 429, before it reaches the session store)
 * @param lookupBurst     lookups an address may make at once after being quiet
 * @param logoutAckTimeout how long a logout through this gateway waits for the other gateways to
 *                        forget the session before it is answered
 */
public record AuthConfig(Duration cacheTtl, int cacheMax, Duration unknownTtl, int lookupsPerSecond, int lookupBurst,
                         Duration logoutAckTimeout) {

  public static AuthConfig from(Settings s) {
    return new AuthConfig(
        s.millis("AUTH_CACHE_MS", 0, 60_000),
        s.integer("AUTH_CACHE_MAX", 1, 10_000_000),
        s.millis("AUTH_UNKNOWN_CACHE_MS", 0, 3_600_000),
        s.integer("AUTH_LOOKUPS_PER_SECOND", 1, 1_000_000),
        s.integer("AUTH_LOOKUP_BURST", 1, 1_000_000),
        s.millis("AUTH_LOGOUT_ACK_TIMEOUT_MS", 1, 60_000));
  }
}
