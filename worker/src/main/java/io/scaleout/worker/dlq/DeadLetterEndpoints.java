package io.scaleout.worker.dlq;

import io.scaleout.common.api.ApiReply;
import io.scaleout.common.api.ApiRequest;
import io.scaleout.common.api.Ids;
import io.scaleout.common.api.Caller;
import io.scaleout.common.api.CallerSeal;
import io.scaleout.common.bus.BusEndpoints;
import io.scaleout.common.bus.FailureCode;
import io.scaleout.common.bus.ServiceException;
import io.scaleout.common.worker.WorkerAddresses;
import io.scaleout.worker.job.JobEvents;
import io.scaleout.worker.job.JobQueue;
import io.scaleout.worker.job.JobStore;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.UUID;

/**
 * The operators' dead-letter API: list what is pending (or everything), replay one (its job back
 * on the main topic, attempts reset), discard one (kept, marked with who and when).
 */
public final class DeadLetterEndpoints {
  private final DeadLetterStore letters;
  private final JobStore jobs;
  private final JobQueue queue;
  private final JobEvents events;
  private final CallerSeal callers;

  public DeadLetterEndpoints(DeadLetterStore letters, JobStore jobs, JobQueue queue, JobEvents events, CallerSeal callers) {
    this.letters = letters;
    this.jobs = jobs;
    this.queue = queue;
    this.events = events;
    this.callers = callers;
  }

  public Future<Void> register(BusEndpoints endpoints) {
    return Future.all(List.of(
        endpoints.register(WorkerAddresses.DLQ_LIST, this::list),
        endpoints.register(WorkerAddresses.DLQ_REPLAY, this::replay),
        endpoints.register(WorkerAddresses.DLQ_DISCARD, this::discard))).mapEmpty();
  }

  private Future<ApiReply> list(Message<JsonObject> message) {
    admin(message);
    ApiRequest request = ApiRequest.fromJson(message.body());
    int limit = limit(request.queryParam("limit"));
    boolean all = "true".equals(request.queryParam("includeHandled"));
    return letters.list(limit, all).map(found -> {
      JsonArray items = new JsonArray();
      found.forEach(letter -> items.add(letter.toJson()));
      return ApiReply.ok(new JsonObject().put("items", items)).cacheControl("private, no-store");
    });
  }

  private Future<ApiReply> replay(Message<JsonObject> message) {
    Caller caller = admin(message);
    long id = letterId(ApiRequest.fromJson(message.body()));
    return letters.get(id).compose(found -> {
      DeadLetter letter = found.orElseThrow(() -> new ServiceException(FailureCode.NOT_FOUND, "No dead letter " + id));
      if (letter.jobId() == null) {
        throw new ServiceException(FailureCode.CONFLICT, "Dead letter " + id + " is not a job's record and cannot be replayed; discard it");
      }
      return letters.markReplayed(id, caller.userId()).compose(marked -> {
        if (marked.isEmpty()) {
          throw new ServiceException(FailureCode.CONFLICT, "Dead letter " + id + " was replayed or discarded already");
        }
        return requeue(letter.jobId(), id);
      });
    });
  }

  /** The job starts over; should Kafka not take it, the job is dead again and the letter pending again. */
  private Future<ApiReply> requeue(UUID jobId, long letterId) {
    return jobs.requeue(jobId).compose(requeued -> {
      if (requeued.isEmpty()) {
        return letters.unmarkReplayed(letterId).compose(v -> Future.failedFuture(
            new ServiceException(FailureCode.CONFLICT, "Job " + jobId + " is not dead, so there is nothing to replay")));
      }
      events.changed(requeued.get());
      return queue.enqueue(jobId)
          .map(v -> ApiReply.ok(new JsonObject().put("id", letterId).put("jobId", jobId.toString()).put("status", "queued"))
              .header(ApiReply.STATUS, "202").header(ApiReply.LOCATION, "/api/jobs/" + jobId))
          .recover(failure -> jobs.dead(jobId, "the replay could not be queued: " + failure.getMessage())
              .compose(v -> letters.unmarkReplayed(letterId))
              .compose(v -> Future.failedFuture(new ServiceException(FailureCode.UNAVAILABLE,
                  "The job queue cannot take the replay now; try again"))));
    });
  }

  private Future<ApiReply> discard(Message<JsonObject> message) {
    Caller caller = admin(message);
    long id = letterId(ApiRequest.fromJson(message.body()));
    return letters.markDiscarded(id, caller.userId()).compose(marked -> marked.isPresent()
        ? Future.succeededFuture(ApiReply.noContent())
        : letters.get(id).map(found -> {
          throw found.isPresent()
              ? new ServiceException(FailureCode.CONFLICT, "Dead letter " + id + " was replayed or discarded already")
              : new ServiceException(FailureCode.NOT_FOUND, "No dead letter " + id);
        }));
  }

  private Caller admin(Message<JsonObject> message) {
    return callers.admin(message, "handle dead letters");
  }

  private static long letterId(ApiRequest request) {
    return Ids.pathParam(request, "id", "A dead letter id");
  }

  private static int limit(String value) {
    if (value == null) {
      return 100;
    }
    if (!value.matches("[0-9]{1,4}") || Integer.parseInt(value) < 1 || Integer.parseInt(value) > 1000) {
      throw ServiceException.badField("limit", "limit is an integer in 1..1000");
    }
    return Integer.parseInt(value);
  }
}
