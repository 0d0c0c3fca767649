package io.scaleout.worker;

import io.scaleout.common.api.ApiReply;
import io.scaleout.common.catalog.CatalogEvent;
import io.scaleout.common.kafka.KafkaConfig;
import io.scaleout.common.kafka.KafkaTopics;
import io.scaleout.common.redis.BoundedRedis;
import io.scaleout.common.redis.RedisConfig;
import io.scaleout.common.runtime.ServiceContext;
import io.scaleout.common.worker.WorkerAddresses;
import io.scaleout.worker.consumer.JobConsumer;
import io.scaleout.worker.consumer.RetryTiers;
import io.scaleout.worker.job.JobConfig;
import io.scaleout.worker.projection.Facets;
import io.scaleout.worker.projection.ProjectionConfig;
import io.scaleout.worker.projection.ProjectionHandler;
import io.vertx.core.Future;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Wires the worker: the job pipeline ({@link WorkerJobs}: records, topics, runner, dead letters);
 * the catalog facets read model (a consumer group over catalog.events, its dead letters in
 * {@link #PROJECTION_DLQ}) and the address that serves it.
 */
public final class WorkerModule {
  /** Catalog events the projection could not read. */
  public static final String PROJECTION_DLQ = "catalog.events.dlq";

  private WorkerModule() {
  }

  public static Future<Void> start(ServiceContext context) {
    return start(context, WorkerJobs.Kinds.STANDARD);
  }

  static Future<Void> start(ServiceContext context, WorkerJobs.Kinds kinds) {
    KafkaConfig kafka = KafkaConfig.from(context.settings());
    JobConfig jobs = JobConfig.from(context.settings());
    RedisConfig redisConfig = RedisConfig.from(context.settings());
    ProjectionConfig projection = ProjectionConfig.from(context.settings());
    Facets facets = new Facets(new BoundedRedis(redisConfig.client(context.vertx()), redisConfig.timeout()), projection.keyPrefix());
    ProjectionHandler handler = new ProjectionHandler(context.vertx(), facets, projection.retryDelay(), context.metrics());
    JobConsumer consumer = new JobConsumer(context.vertx(), kafka, projection.group(), context.node().instanceId() + "-projection",
        Map.of(), new RetryTiers(CatalogEvent.TOPIC, List.of(), PROJECTION_DLQ), projection.maxInFlight(), handler)
        .reportLag(context.metrics());
    context.onDrain(() -> {
      handler.stop();
      return consumer.stop(context.node().drainTimeout());
    });
    List<String> topics = Stream.concat(Stream.of(CatalogEvent.TOPIC, PROJECTION_DLQ, jobs.tiers().dlq()),
        jobs.tiers().consumed().stream()).toList();
    return KafkaTopics.ensure(context.vertx(), kafka, topics)
        .recover(failure -> Future.failedFuture(new IllegalStateException(
            "Kafka at " + kafka.bootstrapServers() + " (KAFKA_BOOTSTRAP_SERVERS) cannot create the worker's topics: "
                + failure.getMessage(), failure)))
        .compose(v -> WorkerJobs.start(context, jobs, kinds))
        .compose(v -> context.endpoints().register(WorkerAddresses.CATALOG_FACETS, message -> facets.read()
            .map(rows -> ApiReply.ok(rows).cacheControl("public, max-age=0, s-maxage=5"))))
        .onSuccess(v -> consumer.start());
  }
}
