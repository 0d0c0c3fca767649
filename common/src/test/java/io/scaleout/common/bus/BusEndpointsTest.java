package io.scaleout.common.bus;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
class BusEndpointsTest {

  @Test
  void aThrowingHandlerRepliesInternalErrorInsteadOfATimeout(Vertx vertx, VertxTestContext test) {
    BusEndpoints endpoints = new BusEndpoints(vertx, "unit-1");
    endpoints.register("t.throws", message -> {
      throw new IllegalStateException("bug");
    }).compose(v -> vertx.eventBus().request("t.throws", null))
        .onComplete(test.failing(failure -> test.verify(() -> {
          ReplyException reply = (ReplyException) failure;
          assertThat(reply.failureType()).isEqualTo(ReplyFailure.RECIPIENT_FAILURE);
          assertThat(reply.failureCode()).isEqualTo(500);
          assertThat(reply.getMessage()).doesNotContain("bug");
          test.completeNow();
        })));
  }

  @Test
  void aServiceExceptionTravelsAsItsCodeAndProblem(Vertx vertx, VertxTestContext test) {
    BusEndpoints endpoints = new BusEndpoints(vertx, "unit-1");
    endpoints.register("t.bad", message -> Future.failedFuture(ServiceException.badField("limit", "limit must be 1..100")))
        .compose(v -> vertx.eventBus().request("t.bad", new JsonObject()))
        .onComplete(test.failing(failure -> test.verify(() -> {
          Problem problem = Problem.fromFailure(failure, "unit");
          assertThat(problem.status()).isEqualTo(400);
          assertThat(problem.extensions().getString("field")).isEqualTo("limit");
          assertThat(problem.detail()).isEqualTo("limit must be 1..100");
          test.completeNow();
        })));
  }

  @Test
  void drainWaitsForInFlightWorkAfterUnregistering(Vertx vertx, VertxTestContext test) {
    BusEndpoints endpoints = new BusEndpoints(vertx, "unit-1");
    Promise<JsonObject> slowWork = Promise.promise();
    endpoints.register("t.slow", message -> slowWork.future()).onComplete(test.succeeding(v -> {
      Future<Object> inFlight = vertx.eventBus().request("t.slow", null).map(m -> m.body());
      vertx.setTimer(50, id -> {
        test.verify(() -> assertThat(endpoints.inFlight()).isEqualTo(1));
        endpoints.unregisterAll()
            .compose(u -> vertx.eventBus().request("t.slow", null).transform(ar -> {
              test.verify(() -> assertThat(((ReplyException) ar.cause()).failureType()).isEqualTo(ReplyFailure.NO_HANDLERS));
              Future<Void> idle = endpoints.awaitIdle(Duration.ofSeconds(5));
              test.verify(() -> assertThat(idle.isComplete()).as("idle before the work finished").isFalse());
              vertx.setTimer(100, t -> slowWork.complete(new JsonObject().put("done", true)));
              return idle;
            }))
            .compose(idle -> inFlight)
            .onComplete(test.succeeding(body -> test.verify(() -> {
              assertThat(body).isEqualTo(new JsonObject().put("done", true));
              assertThat(endpoints.inFlight()).isZero();
              test.completeNow();
            })));
      });
    }));
  }

  @Test
  void drainGivesUpAfterItsTimeout(Vertx vertx, VertxTestContext test) {
    BusEndpoints endpoints = new BusEndpoints(vertx, "unit-1");
    endpoints.register("t.never", message -> Promise.promise().future())
        .onComplete(test.succeeding(v -> {
          vertx.eventBus().request("t.never", null);
          vertx.setTimer(50, id -> {
            long start = System.nanoTime();
            endpoints.awaitIdle(Duration.ofMillis(200)).onComplete(test.succeeding(done -> test.verify(() -> {
              assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(150), Duration.ofSeconds(3));
              assertThat(endpoints.inFlight()).isEqualTo(1);
              test.completeNow();
            })));
          });
        }));
  }
}
