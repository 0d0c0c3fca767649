package io.scaleout.common.observability;

import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;

/**
 * Carries the request id across the event bus: outbound messages (requests, replies, publishes)
 * get the current context's id as a header; an inbound message's header is bound to the context
 * its handler runs on.
 */
public final class RequestIdInterceptors {
  private RequestIdInterceptors() {
  }

  public static void install(EventBus bus) {
    bus.addOutboundInterceptor(RequestIdInterceptors::outbound);
    bus.addInboundInterceptor(RequestIdInterceptors::inbound);
  }

  private static void outbound(DeliveryContext<Object> delivery) {
    Message<Object> message = delivery.message();
    if (!message.headers().contains(RequestId.HEADER)) {
      String id = RequestId.current();
      if (id != null) {
        message.headers().set(RequestId.HEADER, id);
      }
    }
    delivery.next();
  }

  private static void inbound(DeliveryContext<Object> delivery) {
    String id = delivery.message().headers().get(RequestId.HEADER);
    if (id != null) {
      RequestId.bind(id);
    }
    delivery.next();
  }
}
