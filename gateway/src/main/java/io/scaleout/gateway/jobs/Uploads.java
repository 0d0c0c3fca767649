package io.scaleout.gateway.jobs;

import io.scaleout.common.bus.FailureCode;
import io.scaleout.common.bus.Problem;
import io.scaleout.common.worker.JobSubmission;
import io.scaleout.gateway.http.ProblemResponses;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Streams a job's input into the workspace — never held in memory, written as it arrives, the
 * request paused whenever the file lags — then leaves the job submission for the route that sends
 * it to the worker ({@link #SUBMISSION}). Over the limit: 413, the partial file deleted, the
 * connection closed (the rest of the body is never read). The upload is deleted again unless the
 * worker accepted the job.
 */
public final class Uploads {
  /** Routing-context key of the {@link JobSubmission} JSON a stored upload stands for. */
  public static final String SUBMISSION = "jobs.submission";
  private static final Map<String, String> IMAGE_TYPES = Map.of("image/png", "png", "image/jpeg", "jpg");
  private static final Map<String, String> IMPORT_TYPES = Map.of("text/csv", "csv", "application/x-ndjson", "ndjson");

  private final Vertx vertx;
  private final JobRoutesConfig config;

  public Uploads(Vertx vertx, JobRoutesConfig config) {
    this.vertx = vertx;
    this.config = config;
  }

  /** The submission a route forwards: what {@link #image()} or {@link #importFile()} stored. */
  public static Object submission(RoutingContext ctx) {
    return ctx.get(SUBMISSION);
  }

  /** POST /api/products/:id/image: a PNG or JPEG for a thumbnail job. */
  public Handler<RoutingContext> image() {
    return ctx -> {
      String id = ctx.pathParam("id");
      if (id == null || !id.matches("[1-9][0-9]{0,17}")) {
        ProblemResponses.send(ctx, new Problem(FailureCode.BAD_REQUEST, "A product id is a positive integer",
            new JsonObject().put("field", "id")));
        return;
      }
      String extension = extension(ctx, IMAGE_TYPES);
      if (extension != null) {
        store(ctx, JobSubmission.THUMBNAIL, extension, config.imageLimit(),
            new JsonObject().put("productId", Long.parseLong(id)).put("contentType", mediaType(ctx)));
      }
    };
  }

  /** POST /api/imports: CSV or NDJSON for an import job. */
  public Handler<RoutingContext> importFile() {
    return ctx -> {
      String extension = extension(ctx, IMPORT_TYPES);
      if (extension != null) {
        store(ctx, JobSubmission.IMPORT, extension, config.importLimit(), new JsonObject().put("format", extension));
      }
    };
  }

  /** The file extension of an accepted media type; null (and a 415 sent) for any other. */
  private static String extension(RoutingContext ctx, Map<String, String> accepted) {
    String extension = accepted.get(mediaType(ctx));
    if (extension == null) {
      ProblemResponses.send(ctx, Problem.of(FailureCode.UNSUPPORTED_MEDIA_TYPE, "Send the body as one of " + accepted.keySet()));
    }
    return extension;
  }

  private static String mediaType(RoutingContext ctx) {
    String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
    return type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
  }

  private void store(RoutingContext ctx, String kind, String extension, long limit, JsonObject input) {
    HttpServerRequest request = ctx.request();
    String declared = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (declared != null && declared.matches("[0-9]{1,19}") && Long.parseLong(declared) > limit) {
      tooLarge(ctx, limit);
      return;
    }
    String jobId = UUID.randomUUID().toString();
    String name = jobId + "." + extension;
    String path = config.workspace().uploads().resolve(name).toString();
    vertx.fileSystem().mkdirs(config.workspace().uploads().toString())
        .compose(v -> vertx.fileSystem().open(path, new OpenOptions().setWrite(true).setCreateNew(true)))
        .onFailure(failure -> ProblemResponses.send(ctx, Problem.of(FailureCode.UNAVAILABLE, "The workspace cannot take the upload")))
        .onSuccess(file -> {
          // whatever happens next, the upload is kept only if the worker accepted the job
          ctx.addBodyEndHandler(v -> {
            if (ctx.response().getStatusCode() != 202) {
              vertx.fileSystem().delete(path);
            }
          });
          receive(ctx, file, limit, new JobSubmission(jobId, kind, input.put("file", name)).toJson());
        });
  }

  private void receive(RoutingContext ctx, AsyncFile file, long limit, JsonObject submission) {
    HttpServerRequest request = ctx.request();
    long[] received = {0};
    boolean[] refused = {false};
    request.handler(chunk -> {
      if (refused[0]) {
        return;
      }
      received[0] += chunk.length();
      if (received[0] > limit) {
        refused[0] = true;
        file.close().onComplete(v -> tooLarge(ctx, limit));
        return;
      }
      file.write(chunk);
      if (file.writeQueueFull()) {
        request.pause();
        file.drainHandler(v -> request.resume());
      }
    });
    request.exceptionHandler(failure -> file.close());
    request.endHandler(v -> {
      if (refused[0]) {
        return;
      }
      file.close().onSuccess(closed -> {
        if (received[0] == 0) {
          ProblemResponses.send(ctx, new Problem(FailureCode.BAD_REQUEST, "The body is empty", new JsonObject().put("field", "body")));
        } else {
          ctx.put(SUBMISSION, submission);
          ctx.next();
        }
      }).onFailure(failure -> ProblemResponses.send(ctx, Problem.of(FailureCode.UNAVAILABLE, "The workspace cannot take the upload")));
    });
    request.resume();
  }

  /** The rest of the body is never read: close the connection so it cannot be reused mid-body. */
  private static void tooLarge(RoutingContext ctx, long limit) {
    ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
    ProblemResponses.send(ctx, Problem.of(FailureCode.PAYLOAD_TOO_LARGE, "The body exceeds " + limit + " bytes"));
  }
}
