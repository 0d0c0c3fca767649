package io.scaleout.catalog;

import io.scaleout.catalog.cache.ProductCache;
import io.scaleout.catalog.db.DatabaseGuard;
import io.scaleout.catalog.outbox.OutboxRelay;
import io.scaleout.catalog.product.ProductEndpoints;
import io.scaleout.catalog.product.ProductStore;
import io.scaleout.catalog.replica.ReplicaRouter;
import io.scaleout.common.db.DatabaseConfig;
import io.scaleout.common.db.Databases;
import io.scaleout.common.runtime.ServiceContext;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Wires the catalog: database (migrated at start), read routing over replicas, Redis cache,
 * bus endpoints on {@code CATALOG_INSTANCES} event loops, and the outbox relay. Tests keep the
 * instance to look at the cache and routing figures.
 */
public final class CatalogModule {
  private ReplicaRouter router;
  private ProductCache cache;
  private OutboxRelay relay;

  public Future<Void> start(ServiceContext context) {
    CatalogConfig config = CatalogConfig.from(context.settings());
    Vertx vertx = context.vertx();
    DatabaseConfig db = config.database();
    return Databases.prepare(vertx, db, "catalog").compose(v -> {
      Pool primary = Databases.primaryPool(vertx, db);
      Map<String, SqlClient> replicas = new LinkedHashMap<>();
      for (String replica : db.replicas()) {
        int colon = replica.lastIndexOf(':');
        String host = colon < 0 ? replica : replica.substring(0, colon);
        int port = colon < 0 ? db.port() : Integer.parseInt(replica.substring(colon + 1));
        replicas.put(host + ":" + port, Databases.pipelinedClient(vertx, db, host, port));
      }
      DatabaseGuard primaryGuard = new DatabaseGuard(vertx, "primary", config.guard());
      router = new ReplicaRouter(vertx, Databases.pipelinedClient(vertx, db, db.host(), db.port()), primaryGuard, replicas,
          config.guard(), config.replicaMaxLag(), config.replicaCheckInterval());
      cache = new ProductCache(vertx, config.redis().client(vertx), config.cache());
      ProductEndpoints endpoints = new ProductEndpoints(new ProductStore(primary, primaryGuard, router), cache, router,
          vertx.eventBus(), config.productCacheControl(), config.listCacheControl(), context.callerSeal());
      relay = new OutboxRelay(vertx, primary, config.kafka(), config.outboxPoll(), config.outboxBatch());
      cache.stats().bindTo(context.metrics());
      router.bindTo(context.metrics());
      primaryGuard.bindTo(context.metrics());
      relay.bindTo(context.metrics());
      context.onDrain(() -> {
        router.stop();
        return relay.stop();
      });
      return router.start()
          .compose(started -> vertx.deployVerticle(() -> new EndpointsVerticle(endpoints, context),
              new DeploymentOptions().setInstances(config.instances())))
          .onSuccess(id -> relay.start())
          .mapEmpty();
    });
  }

  public ReplicaRouter router() {
    return router;
  }

  public ProductCache cache() {
    return cache;
  }

  public OutboxRelay relay() {
    return relay;
  }

  /** Registers the catalog's addresses on this verticle's event loop. */
  private static final class EndpointsVerticle extends VerticleBase {
    private final ProductEndpoints endpoints;
    private final ServiceContext context;

    EndpointsVerticle(ProductEndpoints endpoints, ServiceContext context) {
      this.endpoints = endpoints;
      this.context = context;
    }

    @Override
    public Future<?> start() {
      return endpoints.register(context.endpoints());
    }
  }
}
