package io.scaleout.gateway;

import io.scaleout.common.api.ApiReply;
import io.scaleout.common.api.ApiRequest;
import io.scaleout.common.api.Caller;
import io.scaleout.common.api.CallerSeal;
import io.scaleout.common.bus.FailureCode;
import io.scaleout.common.bus.ServiceException;
import io.scaleout.common.runtime.ServiceContext;
import io.scaleout.common.worker.JobEvent;
import io.scaleout.common.worker.WorkerAddresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in for the worker's job and dead-letter addresses in gateway tests: it records what it
 * is sent, with the caller, and answers as the worker does (202 with the job id, the caller's
 * missed events, the dead letters). The worker itself is tested against Kafka and Postgres in its
 * module.
 */
final class StandInWorker {
  /** A request as the stand-in received it. */
  record Received(ApiRequest request, Caller caller) {
  }

  /** The resume point for which the stand-in cannot tell the missed events. */
  static final String FAILING_SINCE = "13";

  final List<Received> submissions = new CopyOnWriteArrayList<>();
  final List<Received> resumes = new CopyOnWriteArrayList<>();
  /** While set, submissions fail as when the job queue is down. */
  final AtomicBoolean submitFailing = new AtomicBoolean();
  /** While above 0, a submission is taken but answered only after so many milliseconds (a slow Kafka). */
  final AtomicLong submitDelayMillis = new AtomicLong();
  private final List<JobEvent> missed;
  private CallerSeal callers;
  private Vertx vertx;

  /** @param missed what a resuming stream is told it missed */
  StandInWorker(List<JobEvent> missed) {
    this.missed = missed;
  }

  Future<Void> register(ServiceContext context) {
    callers = context.callerSeal();
    vertx = context.vertx();
    return Future.all(List.of(
        context.endpoints().register(WorkerAddresses.JOB_SUBMIT, this::submit),
        context.endpoints().register(WorkerAddresses.JOBS_OF_CALLER, this::ofCaller),
        context.endpoints().register(WorkerAddresses.DLQ_LIST, message -> Future.succeededFuture(new JsonArray().add("letter"))),
        context.endpoints().register(WorkerAddresses.DLQ_REPLAY, message ->
            Future.succeededFuture(ApiReply.ok(ApiRequest.fromJson(message.body()).path()).header(ApiReply.STATUS, "202"))),
        context.endpoints().register(WorkerAddresses.DLQ_DISCARD, message -> Future.succeededFuture(ApiReply.noContent()))))
        .mapEmpty();
  }

  /** The body of the last submission: the job. */
  JsonObject lastJob() {
    return (JsonObject) submissions.get(submissions.size() - 1).request().body();
  }

  private Future<ApiReply> submit(Message<JsonObject> message) {
    Received received = record(submissions, message);
    if (submitFailing.get()) {
      return Future.failedFuture(new ServiceException(FailureCode.UNAVAILABLE, "the job queue is down"));
    }
    String jobId = ((JsonObject) received.request().body()).getString("jobId");
    ApiReply accepted = ApiReply.ok(new JsonObject().put("jobId", jobId))
        .header(ApiReply.STATUS, "202").header(ApiReply.LOCATION, "/api/jobs/" + jobId);
    long delay = submitDelayMillis.get();
    return delay > 0 ? vertx.timer(delay).map(accepted) : Future.succeededFuture(accepted);
  }

  private Future<ApiReply> ofCaller(Message<JsonObject> message) {
    Received received = record(resumes, message);
    if (FAILING_SINCE.equals(received.request().queryParam("since"))) {
      return Future.failedFuture(new ServiceException(FailureCode.INTERNAL, "the job store is down"));
    }
    return Future.succeededFuture(ApiReply.ok(new JsonArray(missed.stream().map(JobEvent::toJson).toList())));
  }

  private Received record(List<Received> into, Message<JsonObject> message) {
    Received received = new Received(ApiRequest.fromJson(message.body()), callers.open(message));
    into.add(received);
    return received;
  }
}
