package io.scaleout.worker.api;

import io.scaleout.common.api.ApiReply;
import io.scaleout.common.api.ApiRequest;
import io.scaleout.common.api.Caller;
import io.scaleout.common.api.CallerSeal;
import io.scaleout.common.bus.BusEndpoints;
import io.scaleout.common.bus.FailureCode;
import io.scaleout.common.bus.ServiceException;
import io.scaleout.common.worker.JobSubmission;
import io.scaleout.common.worker.Workspace;
import io.scaleout.common.worker.WorkerAddresses;
import io.scaleout.worker.job.Job;
import io.scaleout.worker.job.JobQueue;
import io.scaleout.worker.job.JobStore;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The job records over the bus: submission (record, then queue in Kafka, then 202), a job for its
 * owner or an administrator, and a caller's jobs for a reconnecting event stream.
 */
public final class JobEndpoints {
  /** Who a job acts for when it calls other services: kept with the job, since it runs later. */
  public static final String ACTING_FOR = "actingFor";
  private static final Logger log = LoggerFactory.getLogger(JobEndpoints.class);
  private static final Set<String> KINDS = Set.of(JobSubmission.THUMBNAIL, JobSubmission.IMPORT);

  private final JobStore jobs;
  private final JobQueue queue;
  private final CallerSeal callers;

  public JobEndpoints(JobStore jobs, JobQueue queue, CallerSeal callers) {
    this.jobs = jobs;
    this.queue = queue;
    this.callers = callers;
  }

  public Future<Void> register(BusEndpoints endpoints) {
    return Future.all(List.of(
        endpoints.register(WorkerAddresses.JOB_GET, this::get),
        endpoints.register(WorkerAddresses.JOB_SUBMIT, this::submit),
        endpoints.register(WorkerAddresses.JOBS_OF_CALLER, this::ofCaller))).mapEmpty();
  }

  private Future<ApiReply> get(Message<JsonObject> message) {
    Caller caller = signedIn(message);
    UUID id = jobId(ApiRequest.fromJson(message.body()).pathParam("id"));
    return jobs.get(id).map(found -> visible(found, caller)
        .map(job -> ApiReply.ok(job.toJson()).cacheControl("private, no-store"))
        // someone else's job is not found, rather than forbidden: its existence is not told
        .orElseThrow(() -> new ServiceException(FailureCode.NOT_FOUND, "No job " + id)));
  }

  /** Only administrators submit today's kinds (thumbnails and imports change the catalog). */
  private Future<ApiReply> submit(Message<JsonObject> message) {
    Caller caller = callers.admin(message, "start thumbnail and import jobs");
    Object body = ApiRequest.fromJson(message.body()).body();
    JsonObject submission = body instanceof JsonObject json ? json : new JsonObject();
    UUID id = jobId(submission.getString("jobId"));
    String kind = submission.getString("kind");
    JsonObject input = submission.getJsonObject("input");
    if (kind == null || !KINDS.contains(kind)) {
      throw ServiceException.badField("kind", "A job kind is one of " + KINDS);
    }
    if (input == null || input.getString("file") == null || !Workspace.UPLOAD_NAME.matcher(input.getString("file")).matches()) {
      throw ServiceException.badField("input", "A job's input names its upload in the workspace");
    }
    JsonObject payload = input.copy().put(ACTING_FOR, new JsonObject()
        .put("userId", caller.userId()).put("roles", new JsonArray(List.copyOf(caller.roles()))));
    return jobs.create(id, kind, caller.userId(), payload)
        .compose(created -> created.isPresent() ? enqueue(created.get()) : alreadySubmitted(id))
        .map(job -> ApiReply.ok(new JsonObject().put("jobId", id.toString()).put("status", job.status().dbValue()))
            .header(ApiReply.STATUS, "202").header(ApiReply.LOCATION, "/api/jobs/" + id));
  }

  private Future<Job> enqueue(Job job) {
    return queue.enqueue(job.id()).map(job).recover(failure -> {
      log.warn("Cannot queue job {} in Kafka: {}", job.id(), failure.toString());
      return jobs.forgetQueued(job.id()).transform(v -> Future.failedFuture(
          new ServiceException(FailureCode.UNAVAILABLE, "The job queue cannot take the job now; try again")));
    });
  }

  /** A repeated submission: the job is the one recorded the first time. */
  private Future<Job> alreadySubmitted(UUID id) {
    return jobs.get(id).map(found -> found.orElseThrow(() -> new ServiceException(FailureCode.CONFLICT, "Job " + id + " was withdrawn")));
  }

  private Future<ApiReply> ofCaller(Message<JsonObject> message) {
    Caller caller = signedIn(message);
    String since = ApiRequest.fromJson(message.body()).queryParam("since");
    Instant from = Instant.ofEpochMilli(since != null && since.matches("[0-9]{1,15}") ? Long.parseLong(since) : 0);
    return jobs.ofOwnerSince(caller.userId(), from).map(found -> {
      JsonArray events = new JsonArray();
      found.forEach(job -> events.add(job.toEvent().toJson()));
      return ApiReply.ok(events).cacheControl("private, no-store");
    });
  }

  private Caller signedIn(Message<JsonObject> message) {
    return callers.user(message, "see your jobs");
  }

  private static Optional<Job> visible(Optional<Job> job, Caller caller) {
    return job.filter(j -> caller.isAdmin() || j.owner().equals(caller.userId()));
  }

  private static UUID jobId(String id) {
    try {
      if (id != null && id.length() == 36) {
        return UUID.fromString(id);
      }
    } catch (IllegalArgumentException ignored) {
      // fall through to the field error
    }
    throw ServiceException.badField("id", "A job id is a UUID");
  }
}
