package io.scaleout.gateway;

import io.scaleout.gateway.auth.SessionCache;
import io.scaleout.gateway.auth.SessionEnds;
import io.scaleout.gateway.auth.SessionLookups;
import io.scaleout.gateway.cache.CacheInvalidation;
import io.scaleout.gateway.cache.ReverseCache;
import io.scaleout.gateway.downstream.Downstreams;
import io.scaleout.gateway.edge.EdgeLimits;
import io.scaleout.gateway.events.JobEventStreams;
import io.scaleout.gateway.http.ClientAddresses;
import io.scaleout.gateway.ops.RouteStats;
import io.scaleout.gateway.ratelimit.RateLimiter;

/** What every HTTP verticle instance of one gateway shares: caches, breakers, bulkheads, buckets, event streams, edge budgets, route figures. */
public record GatewayParts(GatewayConfig config, EdgeLimits edge, SessionCache sessions, SessionLookups sessionLookups,
                           Downstreams downstreams, ReverseCache cache,
                           CacheInvalidation invalidation, RateLimiter rateLimiter, ClientAddresses clients,
                           JobEventStreams eventStreams, SessionEnds sessionEnds, RouteStats routeStats) {
}
