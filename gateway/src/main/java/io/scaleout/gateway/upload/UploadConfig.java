package io.scaleout.gateway.upload;

import io.scaleout.common.config.Settings;

import java.time.Duration;

/**
 * Bodies the gateway streams into the workspace for worker jobs.
 *
 * @param imageLimit  largest product image, bytes (413 beyond)
 * @param importLimit largest import file, bytes (413 beyond)
 * @param submitTimeout how long the gateway waits for the worker to take a stored upload's job
 *                    (its row written and Kafka's acknowledgement, which can take seconds on a
 *                    loaded host); the upload itself streams to disk before this budget starts
 */
public record UploadConfig(long imageLimit, long importLimit, Duration submitTimeout) {

  public static UploadConfig from(Settings s) {
    return new UploadConfig(
        s.integer("IMAGE_UPLOAD_LIMIT_BYTES", 1, Integer.MAX_VALUE),
        s.integer("IMPORT_UPLOAD_LIMIT_BYTES", 1, Integer.MAX_VALUE),
        s.millis("JOB_SUBMIT_ROUTE_TIMEOUT_MS", 100, 600_000));
  }
}
