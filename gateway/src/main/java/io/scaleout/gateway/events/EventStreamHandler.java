package io.scaleout.gateway.events;

import io.scaleout.common.api.ApiRequest;
import io.scaleout.common.api.Caller;
import io.scaleout.common.api.CallerSeal;
import io.scaleout.common.bus.FailureCode;
import io.scaleout.common.bus.Problem;
import io.scaleout.common.session.SessionAddresses;
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
 * idle stream. A logout ends the session's streams at once (announced); an expiry, at the next
 * session check.
 */
public final class EventStreamHandler {
  private final Vertx vertx;
  private final JobEventStreams streams;
  private final Downstream worker;
  private final Downstream sessions;
  private final CallerSeal callers;
  private final Duration heartbeat;
  private final Duration sessionCheck;
  private final Duration routeTimeout;

  public EventStreamHandler(Vertx vertx, JobEventStreams streams, Downstream worker, Downstream sessions, CallerSeal callers,
                            EventStreamConfig config, Duration routeTimeout) {
    this.vertx = vertx;
    this.streams = streams;
    this.worker = worker;
    this.callers = callers;
    this.sessions = sessions;
    this.heartbeat = config.heartbeat();
    this.sessionCheck = config.sessionCheck();
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
    long check = caller.sessionHash() == null ? -1 : vertx.setPeriodic(sessionCheck.toMillis(), id -> endIfSessionGone(stream, caller));
    ctx.addEndHandler(ended -> {
      vertx.cancelTimer(timer);
      vertx.cancelTimer(check);
      streams.remove(stream);
    });
    String since = ctx.request().getHeader("Last-Event-ID");
    resume(stream, caller, since != null ? since : ctx.request().getParam("lastEventId"));
  }

  /**
   * Ends the stream when the session service says its session is gone (it expired); an answer of
   * any other kind (the session service down or slow) leaves it open until the next check.
   */
  private void endIfSessionGone(EventStream stream, Caller caller) {
    sessions.call(SessionAddresses.CURRENT, new ApiRequest(null, null, null, null).toJson(),
            callers.sign(caller, SessionAddresses.CURRENT, new DeliveryOptions()), routeTimeout, true)
        .onFailure(failure -> {
          if (FailureCode.UNAUTHORIZED.answered(failure)) {
            stream.end();
          }
        });
  }

  /** Sends what the worker reports since the client's last event, if it names one, then goes live. */
  private void resume(EventStream stream, Caller caller, String since) {
    if (since == null) {
      stream.live(List.of());
      return;
    }
    ApiRequest request = new ApiRequest(null, new JsonObject().put("since", since), null, null);
    worker.call(WorkerAddresses.JOBS_OF_CALLER, request.toJson(), callers.sign(caller, WorkerAddresses.JOBS_OF_CALLER, new DeliveryOptions()), routeTimeout, true)
        .map(reply -> ((JsonArray) reply.body()).stream().map(event -> JobEvent.fromJson((JsonObject) event)).toList())
        .onComplete(missed -> {
          if (missed.failed()) {
            stream.comment("earlier job events are not available now; live events follow");
          }
          stream.live(missed.succeeded() ? missed.result() : List.of());
        });
  }
}
