package io.scaleout.gateway.upload;

import io.scaleout.common.api.Ids;
import io.scaleout.common.bus.FailureCode;
import io.scaleout.common.bus.Problem;
import io.scaleout.common.worker.JobSubmission;
import io.scaleout.common.worker.Workspace;
import io.scaleout.gateway.http.ProblemResponses;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.file.FileSystem;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;

/**
 * POST /api/products/:id/image and POST /api/imports: the body becomes a job's input in the
 * workspace, named after a new job id, and only then does the next handler — the route to the
 * worker, whose timeout therefore starts with the body stored — submit the job
 * ({@link #submission}). When the worker did not take the job the upload is deleted; when it is
 * not known whether it did (the call timed out: the job may be queued and will read its upload),
 * the upload is kept and the answer names the job ({@link #submissionFailed}).
 */
public final class JobUploads {
  private static final Logger log = LoggerFactory.getLogger(JobUploads.class);
  private static final String SUBMISSION = JobUploads.class.getName() + ".submission";
  /** Accepted media types and the extension of their upload. */
  private static final Map<String, String> IMAGE_TYPES = Map.of("image/png", "png", "image/jpeg", "jpg");
  private static final Map<String, String> IMPORT_TYPES = Map.of("text/csv", "csv", "application/x-ndjson", "ndjson");

  private final FileSystem fs;
  private final Workspace workspace;
  private final UploadConfig config;
  private final BodyToFile bodies;

  public JobUploads(FileSystem fs, Workspace workspace, UploadConfig config) {
    this.fs = fs;
    this.workspace = workspace;
    this.config = config;
    this.bodies = new BodyToFile(fs);
  }

  /** The body a route sends to the worker: the submission of the job whose input was stored. */
  public static Object submission(RoutingContext ctx) {
    return ctx.<JobSubmission>get(SUBMISSION).toJson();
  }

  /**
   * The submission failed. A timeout leaves the outcome open: the upload stays for the job that may
   * run, and the 504 carries the job's Location, where the client learns what became of it (a 404
   * that lasts beyond the worker's own enqueue bound: never taken). Any other failure (refused
   * before sending, undeliverable, an error the worker answered) means no job will read the
   * upload, which goes.
   */
  public void submissionFailed(RoutingContext ctx, Throwable failure) {
    JobSubmission submission = ctx.get(SUBMISSION);
    if (!(failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.TIMEOUT)) {
      fs.delete(workspace.upload(submission.input().getString("file")).toString());
      return;
    }
    log.warn("The worker did not answer the submission of job {} in time ({}); its upload is kept for it",
        submission.jobId(), failure.toString());
    ctx.response().putHeader(HttpHeaders.LOCATION, "/api/jobs/" + submission.jobId());
  }


  /** A PNG or JPEG of a product, for a thumbnail job. */
  public void image(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (!Ids.isId(id)) {
      refuseUnread(ctx);
      ProblemResponses.send(ctx, new Problem(FailureCode.BAD_REQUEST, "A product id is a positive integer",
          new JsonObject().put("field", "id")));
      return;
    }
    store(ctx, IMAGE_TYPES, config.imageLimit(), JobSubmission.THUMBNAIL, (file, extension) -> new JsonObject()
        .put("productId", Long.parseLong(id)).put("file", file).put("contentType", mediaType(ctx)));
  }

  /** A CSV or NDJSON file of products, for an import job. */
  public void importFile(RoutingContext ctx) {
    store(ctx, IMPORT_TYPES, config.importLimit(), JobSubmission.IMPORT,
        (file, extension) -> new JsonObject().put("file", file).put("format", extension));
  }

  /** Stores the body under a new job's name, then leaves the job, its input made of the file's name and extension, to the next handler. */
  private void store(RoutingContext ctx, Map<String, String> types, long limit, String kind,
                     BiFunction<String, String, JsonObject> input) {
    String extension = types.get(mediaType(ctx));
    if (extension == null) {
      refuseUnread(ctx);
      ProblemResponses.send(ctx, Problem.of(FailureCode.UNSUPPORTED_MEDIA_TYPE, "Send the body as one of " + types.keySet()));
      return;
    }
    String jobId = UUID.randomUUID().toString();
    String file = jobId + "." + extension;
    bodies.store(ctx, workspace.upload(file), limit).onSuccess(stored -> {
      ctx.put(SUBMISSION, new JobSubmission(jobId, kind, input.apply(file, extension)));
      ctx.next();
    });
  }

  /** The media type without parameters (a charset, say), lower case; empty when none is given. */
  /**
   * An upload refused before its body is read: the body (up to 100 MiB) is not drained, the
   * connection is closed after the answer, so that a client reusing it cannot wait behind it.
   */
  private static void refuseUnread(RoutingContext ctx) {
    ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
  }

  private static String mediaType(RoutingContext ctx) {
    String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
    return type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
  }
}
