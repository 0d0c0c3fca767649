package io.scaleout.common.bus;

import io.scaleout.common.api.ApiReply;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The event-bus endpoints of one process. Every consumer registered here replies exactly once:
 * with the handler's result, with the {@link ServiceException}'s code, or with an internal error,
 * so no failure becomes a silent timeout at the caller. It also counts in-flight messages, so
 * shutdown can unregister everything and then wait for the work already accepted.
 */
public final class BusEndpoints {
  private static final Logger log = LoggerFactory.getLogger(BusEndpoints.class);

  /**
   * Handles one request; the future's value is the reply body (JsonObject, JsonArray, null...), or
   * an {@link ApiReply} whose headers travel with it.
   */
  @FunctionalInterface
  public interface Handler {
    Future<?> handle(Message<JsonObject> message);
  }

  /** Reply header naming the instance that answered (for access logs and debugging). */
  public static final String INSTANCE_HEADER = "x-instance";
  /**
   * Request header of a caller that only passes the reply on (the gateway): the reply body then
   * comes as a Buffer holding its JSON text, which the caller writes out as it is, instead of a
   * JsonObject it would parse from the wire only to encode it again.
   */
  public static final String ENCODED_REPLY_HEADER = "x-encoded-reply";

  private final Vertx vertx;
  private final String instanceId;
  private final List<MessageConsumer<JsonObject>> consumers = new CopyOnWriteArrayList<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final List<Promise<Void>> idleWaiters = new CopyOnWriteArrayList<>();

  public BusEndpoints(Vertx vertx, String instanceId) {
    this.vertx = vertx;
    this.instanceId = instanceId;
  }

  /**
   * Registers a consumer on the calling context, on the address and on this instance's own address
   * of it ({@link InstanceAddresses}), where balancing callers send. The future completes once both
   * registrations are known cluster-wide, so a caller that waits for it meets no "no handlers".
   */
  public Future<Void> register(String address, Handler handler) {
    return Future.all(consumer(address, address, handler), consumer(InstanceAddresses.of(address, instanceId), address, handler))
        .mapEmpty();
  }

  private Future<Void> consumer(String registered, String address, Handler handler) {
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(registered, message -> dispatch(address, message, handler));
    consumers.add(consumer);
    return consumer.completion();
  }

  private void dispatch(String address, Message<JsonObject> message, Handler handler) {
    inFlight.incrementAndGet();
    Future<?> result;
    try {
      result = handler.handle(message);
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onComplete(ar -> {
      try {
        if (ar.failed()) {
          replyFailure(address, message, ar.cause());
        } else if (ar.result() instanceof ApiReply reply) {
          message.reply(replyBody(message, reply.body()),
              new DeliveryOptions().setHeaders(reply.headers()).addHeader(INSTANCE_HEADER, instanceId));
        } else {
          message.reply(replyBody(message, ar.result()), new DeliveryOptions().addHeader(INSTANCE_HEADER, instanceId));
        }
      } finally {
        if (inFlight.decrementAndGet() == 0) {
          idleWaiters.forEach(Promise::tryComplete);
        }
      }
    });
  }

  private static Object replyBody(Message<JsonObject> message, Object body) {
    return body != null && message.headers().contains(ENCODED_REPLY_HEADER) ? Json.encodeToBuffer(body) : body;
  }

  private static void replyFailure(String address, Message<JsonObject> message, Throwable cause) {
    Problem problem;
    if (cause instanceof ServiceException se) {
      problem = new Problem(se.code(), se.getMessage(), se.extensions());
    } else {
      log.error("Unhandled failure serving {}", address, cause);
      problem = Problem.of(FailureCode.INTERNAL, null);
    }
    message.fail(problem.status(), problem.toFailureMessage());
  }

  public int inFlight() {
    return inFlight.get();
  }

  /** Unregisters every consumer; completes when the cluster no longer routes to this node. */
  public Future<Void> unregisterAll() {
    List<Future<Void>> all = consumers.stream().map(MessageConsumer::unregister).toList();
    consumers.clear();
    return Future.join(all).mapEmpty();
  }

  /** Completes when no message is in flight, or after {@code timeout} (with a warning). */
  public Future<Void> awaitIdle(Duration timeout) {
    if (inFlight.get() == 0) {
      return Future.succeededFuture();
    }
    Promise<Void> idle = Promise.promise();
    idleWaiters.add(idle);
    if (inFlight.get() == 0) {
      idle.tryComplete();
    }
    long timer = vertx.setTimer(Math.max(1, timeout.toMillis()), id -> {
      if (idle.tryComplete()) {
        log.warn("Drain timeout after {} ms with {} messages still in flight", timeout.toMillis(), inFlight.get());
      }
    });
    return idle.future().onComplete(ar -> vertx.cancelTimer(timer));
  }
}
