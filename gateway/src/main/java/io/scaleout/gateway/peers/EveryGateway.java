package io.scaleout.gateway.peers;

import io.scaleout.common.runtime.ServiceContext;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Asks every other gateway something and waits for their acknowledgements: one address per
 * cluster member (members without a gateway answer "no handlers" at once). A publish reaches every
 * gateway too, but may arrive after the client's next request on another gateway; waiting for the
 * acknowledgements closes that window. A gateway that does not acknowledge within the timeout is
 * not waited for.
 */
public final class EveryGateway {
  private final ServiceContext context;

  public EveryGateway(ServiceContext context) {
    this.context = context;
  }

  /** Sends {@code body} to {@code addressOf(node)} of every other member; completes once all answered or {@code ackTimeout} passed. */
  public Future<Void> ask(Function<String, String> addressOf, JsonObject body, Duration ackTimeout) {
    ClusterManager cluster = ((VertxInternal) context.vertx()).clusterManager();
    if (cluster == null) {
      return Future.succeededFuture();
    }
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(ackTimeout.toMillis());
    List<Future<Object>> acks = cluster.getNodes().stream()
        .filter(node -> !node.equals(context.nodeId()))
        .map(node -> context.vertx().eventBus().request(addressOf.apply(node), body, options).<Object>mapEmpty())
        .toList();
    return Future.join(new ArrayList<>(acks)).<Void>mapEmpty().otherwiseEmpty();
  }
}
