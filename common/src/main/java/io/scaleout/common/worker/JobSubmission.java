package io.scaleout.common.worker;

import io.vertx.core.json.JsonObject;

/**
 * The body of {@link WorkerAddresses#JOB_SUBMIT}. The job id is chosen by the submitter (the
 * gateway uses its upload's id), so a repeated submission is the same job.
 *
 * @param jobId a UUID
 * @param kind  {@link #THUMBNAIL} or {@link #IMPORT}
 * @param input what the job works on: for a thumbnail {productId, file, contentType}, for an import
 *              {file, format}; {@code file} is a path relative to the workspace's uploads
 */
public record JobSubmission(String jobId, String kind, JsonObject input) {
  public static final String THUMBNAIL = "thumbnail";
  public static final String IMPORT = "import";

  public JsonObject toJson() {
    return new JsonObject().put("jobId", jobId).put("kind", kind).put("input", input);
  }
}
