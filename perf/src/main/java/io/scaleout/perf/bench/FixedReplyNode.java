package io.scaleout.perf.bench;

import io.scaleout.common.api.ApiReply;
import io.scaleout.common.catalog.CatalogAddresses;
import io.scaleout.common.config.NodeConfig;
import io.scaleout.common.runtime.ServiceRuntime;
import io.vertx.core.Future;

/**
 * The service side of the gateway-overhead comparison: a cluster member that answers the
 * catalog's categories address with {@link FixedReply} and no cache headers, so that
 * GET /api/categories through a gateway is "the same bytes, through the gateway and the
 * clustered event bus, from another JVM". It must run in a cluster of its own (CLUSTER_NAME):
 * a real catalog in the same cluster would share the address.
 */
public final class FixedReplyNode {
  private FixedReplyNode() {
  }

  public static void main(String[] args) {
    // it stands in for the catalog, so the gateway balances over it like over a catalog instance
    ServiceRuntime.launch("bench", settings -> NodeConfig.from("catalog", settings),
        context -> context.endpoints().register(CatalogAddresses.CATEGORIES_LIST,
            message -> Future.succeededFuture(ApiReply.ok(FixedReply.BODY))));
  }
}
