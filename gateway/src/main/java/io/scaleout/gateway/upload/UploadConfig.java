package io.scaleout.gateway.upload;

import io.scaleout.common.config.Settings;

/**
 * Bodies the gateway streams into the workspace for worker jobs.
 *
 * @param imageLimit  largest product image, bytes (413 beyond)
 * @param importLimit largest import file, bytes (413 beyond)
 */
public record UploadConfig(long imageLimit, long importLimit) {

  public static UploadConfig from(Settings s) {
    return new UploadConfig(
        s.integer("IMAGE_UPLOAD_LIMIT_BYTES", 1, Integer.MAX_VALUE),
        s.integer("IMPORT_UPLOAD_LIMIT_BYTES", 1, Integer.MAX_VALUE));
  }
}
