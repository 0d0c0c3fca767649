package io.scaleout.common.bus;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

import java.time.Duration;

/**
 * Request-reply over the clustered event bus with a timeout on every call. A NO_HANDLERS failure
 * means the message was never processed (no instance, or one that had just unregistered while
 * draining), so it is retried once after a short pause: that is what lets an instance leave
 * without failing a request.
 */
public final class BusClient {
  private final Vertx vertx;
  private final Duration timeout;
  private final Duration noHandlersRetryDelay;

  public BusClient(Vertx vertx, Duration timeout, Duration noHandlersRetryDelay) {
    this.vertx = vertx;
    this.timeout = timeout;
    this.noHandlersRetryDelay = noHandlersRetryDelay;
  }

  public Duration timeout() {
    return timeout;
  }

  public <T> Future<Message<T>> request(String address, Object body) {
    return request(address, body, new DeliveryOptions());
  }

  public <T> Future<Message<T>> request(String address, Object body, DeliveryOptions options) {
    if (options.getSendTimeout() == DeliveryOptions.DEFAULT_TIMEOUT) {
      options.setSendTimeout(timeout.toMillis());
    }
    Future<Message<T>> first = vertx.eventBus().request(address, body, options);
    return first.recover(failure -> {
      if (!isNoHandlers(failure)) {
        return Future.failedFuture(failure);
      }
      Promise<Message<T>> retried = Promise.promise();
      vertx.setTimer(Math.max(1, noHandlersRetryDelay.toMillis()),
          id -> vertx.eventBus().<T>request(address, body, options).onComplete(retried));
      return retried.future();
    });
  }

  private static boolean isNoHandlers(Throwable failure) {
    return failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.NO_HANDLERS;
  }
}
