package io.scaleout.gateway.events;

import io.scaleout.common.config.Settings;

import java.time.Duration;

/**
 * Server-Sent Events of job changes.
 *
 * @param heartbeat         how often a stream gets a comment, so proxies do not close it as idle
 * @param maxStreamsPerUser streams one user may hold open on one gateway (429 beyond)
 * @param sessionCheck      how often a stream asks whether its session still lives: one that expired
 *                          (idle or absolute timeout) ends its streams as a logout does, which is
 *                          announced and ends them at once
 */
public record EventStreamConfig(Duration heartbeat, int maxStreamsPerUser, Duration sessionCheck) {

  public static EventStreamConfig from(Settings s) {
    return new EventStreamConfig(
        s.millis("SSE_HEARTBEAT_MS", 100, 3_600_000),
        s.integer("SSE_MAX_STREAMS_PER_USER", 1, 10_000),
        s.millis("SSE_SESSION_CHECK_MS", 100, 3_600_000));
  }
}
