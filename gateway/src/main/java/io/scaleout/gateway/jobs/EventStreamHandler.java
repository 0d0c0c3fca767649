package io.scaleout.gateway.jobs;

import io.scaleout.common.api.ApiRequest;
import io.scaleout.common.api.Caller;
import io.scaleout.common.bus.FailureCode;
import io.scaleout.common.bus.Problem;
import io.scaleout.common.worker.JobEvent;
import io.scaleout.common.worker.WorkerAddresses;
import io.scaleout.gateway.auth.Authenticator;
import io.scaleout.gateway.downstream.Downstream;
import io.scaleout.gateway.http.ProblemResponses;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.time.Duration;

/**
 * GET /api/events: the caller's job events as Server-Sent Events, from whichever gateway the
 * client reached (every gateway hears every job event). With {@code Last-Event-ID} (or the query
 * {@code lastEventId}) the stream first tells the current state of the caller's open jobs and of
 * those changed since, as the worker has them; live events wait meanwhile, so none is lost or
 * overtaken. A comment every heartbeat keeps proxies from closing an idle stream.
 */
public final class EventStreamHandler {
  private final Vertx vertx;
  private final JobEventStreams streams;
  private final Downstream worker;
  private final JobRoutesConfig config;
  private final Duration routeTimeout;

  public EventStreamHandler(Vertx vertx, JobEventStreams streams, Downstream worker, JobRoutesConfig config, Duration routeTimeout) {
    this.vertx = vertx;
    this.streams = streams;
    this.worker = worker;
    this.config = config;
    this.routeTimeout = routeTimeout;
  }

  public void handle(RoutingContext ctx) {
    Caller caller = Authenticator.caller(ctx);
    HttpServerResponse response = ctx.response();
    JobEventStreams.Stream stream = new JobEventStreams.Stream(vertx.getOrCreateContext(), response);
    if (!streams.add(caller.userId(), stream, config.maxStreamsPerUser())) {
      ProblemResponses.send(ctx, Problem.of(FailureCode.RATE_LIMITED,
          "At most " + config.maxStreamsPerUser() + " event streams per user on one gateway"));
      return;
    }
    response.setChunked(true)
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        // neither compressed nor buffered on the way: each event leaves when it happens
        .putHeader(HttpHeaders.CONTENT_ENCODING, HttpHeaders.IDENTITY)
        .putHeader("X-Accel-Buffering", "no");
    response.write("retry: 2000\n\n");
    long heartbeat = vertx.setPeriodic(config.heartbeat().toMillis(), id -> response.write(": keep-alive\n\n"));
    response.closeHandler(v -> {
      vertx.cancelTimer(heartbeat);
      streams.remove(caller.userId(), stream);
    });
    response.endHandler(v -> {
      vertx.cancelTimer(heartbeat);
      streams.remove(caller.userId(), stream);
    });
    String lastEventId = ctx.request().getHeader("Last-Event-ID");
    if (lastEventId == null) {
      lastEventId = ctx.request().getParam("lastEventId");
    }
    if (lastEventId == null) {
      stream.live();
      return;
    }
    ApiRequest request = new ApiRequest(new JsonObject(), new JsonObject().put("since", lastEventId), null, new JsonObject());
    worker.call(WorkerAddresses.JOBS_OF_CALLER, request.toJson(), caller.applyTo(new DeliveryOptions()), routeTimeout, true)
        .onSuccess(reply -> ((JsonArray) reply.body()).forEach(event -> stream.write(JobEvent.fromJson((JsonObject) event))))
        .onFailure(failure -> response.write(": the state of open jobs is not available now; live events follow\n\n"))
        .onComplete(ar -> stream.live());
  }
}
