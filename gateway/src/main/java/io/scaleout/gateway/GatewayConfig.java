package io.scaleout.gateway;

import io.scaleout.common.config.Settings;
import io.scaleout.common.worker.Workspace;
import io.scaleout.gateway.auth.AuthConfig;
import io.scaleout.gateway.cache.ReverseCacheConfig;
import io.scaleout.gateway.downstream.DownstreamConfig;
import io.scaleout.gateway.events.EventStreamConfig;
import io.scaleout.gateway.ratelimit.RateLimitConfig;
import io.scaleout.gateway.upload.UploadConfig;
import io.scaleout.gateway.edge.EdgeConfig;
import io.scaleout.gateway.web.HttpConfig;

import java.time.Duration;

/**
 * Gateway-only settings, grouped by concern.
 *
 * @param http          listener, TLS, compression, static files
 * @param edge          what one client may hold: connections, time to send a request, body bytes in memory
 * @param auth          caching and bounding of session lookups
 * @param cookieSecure  mark the SID cookie Secure (serve over TLS)
 * @param passwordRouteTimeout timeout of register and login, which wait for password hashing
 * @param downstream    route timeouts, retries, breakers and bulkheads towards the services
 * @param cache         the reverse cache of GET replies
 * @param rateLimit     token buckets per client
 * @param storefrontFeatured how many products the storefront features
 * @param storefrontSectionTimeout how long the storefront waits for each section before leaving it out
 * @param workspace     the folder shared with the workers: uploads for jobs, files jobs made
 * @param uploads       size limits of the bodies streamed into the workspace
 * @param events        event streams of job changes
 * @param opsSnapshotTimeout how long the operations view waits for each instance's figures
 */
public record GatewayConfig(HttpConfig http, EdgeConfig edge, AuthConfig auth, boolean cookieSecure,
                            Duration passwordRouteTimeout, DownstreamConfig downstream, ReverseCacheConfig cache,
                            RateLimitConfig rateLimit, int storefrontFeatured, Duration storefrontSectionTimeout,
                            Workspace workspace, UploadConfig uploads, EventStreamConfig events,
                            Duration opsSnapshotTimeout) {

  public static GatewayConfig from(Settings s) {
    return new GatewayConfig(
        HttpConfig.from(s),
        EdgeConfig.from(s),
        AuthConfig.from(s),
        s.bool("COOKIE_SECURE"),
        s.millis("PASSWORD_ROUTE_TIMEOUT_MS", 100, 600_000),
        DownstreamConfig.from(s),
        ReverseCacheConfig.from(s),
        RateLimitConfig.from(s),
        s.integer("STOREFRONT_FEATURED", 1, 100),
        s.millis("STOREFRONT_SECTION_TIMEOUT_MS", 10, 60_000),
        Workspace.from(s),
        UploadConfig.from(s),
        EventStreamConfig.from(s),
        s.millis("OPS_SNAPSHOT_TIMEOUT_MS", 10, 60_000));
  }
}
