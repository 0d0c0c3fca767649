package io.scaleout.worker.projection;

import io.scaleout.common.config.Settings;

import java.time.Duration;

/**
 * The catalog facets read model.
 *
 * @param keyPrefix   Redis key prefix of the read model
 * @param group       consumer group of the catalog.events readers
 * @param maxInFlight events applied at once per worker
 * @param retryDelay  pause before an event whose apply failed (Redis down) is tried again
 */
public record ProjectionConfig(String keyPrefix, String group, int maxInFlight, Duration retryDelay) {

  public static ProjectionConfig from(Settings s) {
    return new ProjectionConfig(
        s.string("PROJECTION_KEY_PREFIX"),
        s.string("PROJECTION_GROUP"),
        s.integer("PROJECTION_MAX_IN_FLIGHT", 1, 10_000),
        s.millis("PROJECTION_RETRY_MS", 10, 600_000));
  }
}
