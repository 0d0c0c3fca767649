package io.scaleout.gateway.events;

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
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.time.Duration;
import java.util.List;

/**
 * GET /api/events: the caller's job events as Server-Sent Events, on whichever gateway the client
 * reached (every gateway hears every job event). A client that comes back with
 * {@code Last-Event-ID} (or {@code ?lastEventId=}, for clients that cannot set headers) is first
 * sent what the worker reports since that id — its open jobs and those changed after — and then
 * the live events, which wait meanwhile. A comment every heartbeat keeps proxies from closing an
 * idle stream.
 */
public final class EventStreamHandler {
  private final Vertx vertx;
  private final JobEventStreams streams;
  private final Downstream worker;
  private final Duration heartbeat;
  private final Duration routeTimeout;

  public EventStreamHandler(Vertx vertx, JobEventStreams streams, Downstream worker, EventStreamConfig config,
                            Duration routeTimeout) {
    this.vertx = vertx;
    this.streams = streams;
    this.worker = worker;
    this.heartbeat = config.heartbeat();
    this.routeTimeout = routeTimeout;
  }

  public void handle(RoutingContext ctx) {
    if (ctx.response().closed()) {
      return;
    }
    Caller caller = Authenticator.caller(ctx);
    EventStream stream = new EventStream(caller, vertx.getOrCreateContext(), ctx.response());
    JobEventStreams.Admission admission = streams.admit(stream);
    if (admission == JobEventStreams.Admission.FULL) {
      ProblemResponses.send(ctx, Problem.of(FailureCode.RATE_LIMITED,
          "At most " + streams.maxPerUser() + " event streams per user on one gateway"));
      return;
    }
    stream.open();
    if (admission == JobEventStreams.Admission.DRAINING) {
      // this gateway is going away: the client reconnects, and the balancer sends it elsewhere
      ctx.response().end();
      return;
    }
    long timer = vertx.setPeriodic(heartbeat.toMillis(), id -> stream.comment("keep-alive"));
    ctx.addEndHandler(ended -> {
      vertx.cancelTimer(timer);
      streams.remove(stream);
    });
    String since = ctx.request().getHeader("Last-Event-ID");
    resume(stream, caller, since != null ? since : ctx.request().getParam("lastEventId"));
  }

  /** Sends what the worker reports since the client's last event, if it names one, then goes live. */
  private void resume(EventStream stream, Caller caller, String since) {
    if (since == null) {
      stream.live(List.of());
      return;
    }
    ApiRequest request = new ApiRequest(null, new JsonObject().put("since", since), null, null);
    worker.call(WorkerAddresses.JOBS_OF_CALLER, request.toJson(), caller.applyTo(new DeliveryOptions()), routeTimeout, true)
        .map(reply -> ((JsonArray) reply.body()).stream().map(event -> JobEvent.fromJson((JsonObject) event)).toList())
        .onComplete(missed -> {
          if (missed.failed()) {
            stream.comment("earlier job events are not available now; live events follow");
          }
          stream.live(missed.succeeded() ? missed.result() : List.of());
        });
  }
}
