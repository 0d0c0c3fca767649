package io.scaleout.worker;

import io.scaleout.common.api.ApiReply;
import io.scaleout.common.catalog.CatalogEvent;
import io.scaleout.common.db.DatabaseConfig;
import io.scaleout.common.db.Databases;
import io.scaleout.common.kafka.KafkaConfig;
import io.scaleout.common.kafka.KafkaTopics;
import io.scaleout.common.redis.BoundedRedis;
import io.scaleout.common.redis.RedisConfig;
import io.scaleout.common.runtime.ServiceContext;
import io.scaleout.common.worker.WorkerAddresses;
import io.scaleout.worker.api.JobEndpoints;
import io.scaleout.worker.consumer.JobConsumer;
import io.scaleout.worker.consumer.RetryTiers;
import io.scaleout.worker.job.JobStore;
import io.scaleout.worker.projection.Facets;
import io.scaleout.worker.projection.ProjectionConfig;
import io.scaleout.worker.projection.ProjectionHandler;
import io.vertx.core.Future;

import java.util.List;
import java.util.Map;

/**
 * Wires the worker: its job records (database migrated at start) and the address that shows
 * them; the catalog facets read model (a consumer group over catalog.events, its dead letters in
 * {@link #PROJECTION_DLQ}) and the address that serves it.
 */
public final class WorkerModule {
  /** Catalog events the projection could not read. */
  public static final String PROJECTION_DLQ = "catalog.events.dlq";

  private WorkerModule() {
  }

  public static Future<Void> start(ServiceContext context) {
    KafkaConfig kafka = KafkaConfig.from(context.settings());
    DatabaseConfig database = DatabaseConfig.from(context.settings());
    RedisConfig redisConfig = RedisConfig.from(context.settings());
    ProjectionConfig projection = ProjectionConfig.from(context.settings());
    Facets facets = new Facets(new BoundedRedis(redisConfig.client(context.vertx()), redisConfig.timeout()), projection.keyPrefix());
    ProjectionHandler handler = new ProjectionHandler(context.vertx(), facets, projection.retryDelay(), context.metrics());
    JobConsumer consumer = new JobConsumer(context.vertx(), kafka, projection.group(), context.node().instanceId() + "-projection",
        Map.of(), new RetryTiers(CatalogEvent.TOPIC, List.of(), PROJECTION_DLQ), projection.maxInFlight(), handler);
    context.onDrain(() -> {
      handler.stop();
      return consumer.stop(context.node().drainTimeout());
    });
    return Databases.prepare(context.vertx(), database, "worker")
        .compose(v -> new JobEndpoints(new JobStore(Databases.primaryPool(context.vertx(), database))).register(context.endpoints()))
        .compose(v -> KafkaTopics.ensure(context.vertx(), kafka, List.of(CatalogEvent.TOPIC, PROJECTION_DLQ)))
        .recover(failure -> Future.failedFuture(new IllegalStateException(
            "Kafka at " + kafka.bootstrapServers() + " (KAFKA_BOOTSTRAP_SERVERS) cannot create the worker's topics: "
                + failure.getMessage(), failure)))
        .compose(v -> context.endpoints().register(WorkerAddresses.CATALOG_FACETS, message -> facets.read()
            .map(rows -> ApiReply.ok(rows).cacheControl("public, max-age=0, s-maxage=5"))))
        .onSuccess(v -> consumer.start());
  }
}
