package io.scaleout.gateway.jobs;

import io.scaleout.common.config.Settings;
import io.scaleout.common.worker.Workspace;

import java.time.Duration;

/**
 * The gateway's side of worker jobs.
 *
 * @param workspace           where uploads are stored for the workers and their files served from
 * @param imageLimit          largest image upload, bytes
 * @param importLimit         largest import upload, bytes
 * @param heartbeat           how often an idle event stream gets a comment (keeps proxies from closing it)
 * @param maxStreamsPerUser   event streams one user may hold open on one gateway
 */
public record JobRoutesConfig(Workspace workspace, long imageLimit, long importLimit, Duration heartbeat, int maxStreamsPerUser) {

  public static JobRoutesConfig from(Settings s) {
    return new JobRoutesConfig(
        Workspace.from(s),
        s.integer("IMAGE_UPLOAD_LIMIT_BYTES", 1, Integer.MAX_VALUE),
        s.integer("IMPORT_UPLOAD_LIMIT_BYTES", 1, Integer.MAX_VALUE),
        s.millis("SSE_HEARTBEAT_MS", 100, 600_000),
        s.integer("SSE_MAX_STREAMS_PER_USER", 1, 1000));
  }
}
