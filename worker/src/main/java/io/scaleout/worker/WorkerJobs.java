package io.scaleout.worker;

import io.scaleout.common.db.DatabaseConfig;
import io.scaleout.common.db.Databases;
import io.scaleout.common.kafka.KafkaConfig;
import io.scaleout.common.runtime.ServiceContext;
import io.scaleout.common.worker.JobSubmission;
import io.scaleout.common.worker.Workspace;
import io.scaleout.worker.api.JobEndpoints;
import io.scaleout.worker.catalog.CatalogClient;
import io.scaleout.worker.consumer.JobConsumer;
import io.scaleout.worker.consumer.RetryTiers;
import io.scaleout.worker.dlq.DeadLetterEndpoints;
import io.scaleout.worker.dlq.DeadLetterRecorder;
import io.scaleout.worker.dlq.DeadLetterStore;
import io.scaleout.worker.dlq.PendingDeadLetters;
import io.scaleout.worker.importer.ImportJob;
import io.scaleout.worker.job.JobConfig;
import io.scaleout.worker.job.JobEvents;
import io.scaleout.worker.job.JobHandler;
import io.scaleout.worker.job.JobQueue;
import io.scaleout.worker.job.QueueReachability;
import io.scaleout.worker.job.UploadSweeper;
import io.scaleout.worker.job.JobRunner;
import io.scaleout.worker.job.JobStore;
import io.scaleout.worker.thumbnail.ThumbnailJob;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.sqlclient.Pool;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Wires the job pipeline: topics, the job records and their endpoints, the runner with its kinds
 * (thumbnails, imports) over the job topics, the dead-letter recorder and its operator API, and
 * the sweep of uploads no job reads.
 * Consumers start once every address is registered; at drain they stop fetching and wait for (or
 * abandon, uncommitted) what is in flight.
 */
final class WorkerJobs {
  private WorkerJobs() {
  }

  /** The job kinds this worker runs; tests give their own. */
  @FunctionalInterface
  interface Kinds {
    Map<String, JobHandler> of(WorkerExecutor work, Workspace workspace, CatalogClient catalog, JobConfig config);

    Kinds STANDARD = (work, workspace, catalog, config) -> Map.of(
        JobSubmission.THUMBNAIL, new ThumbnailJob(work, config.workThreads(), workspace, catalog),
        JobSubmission.IMPORT, new ImportJob(work, workspace, catalog, config.importBatch()));
  }

  /** Once the topics exist. */
  static Future<Void> start(ServiceContext context, JobConfig config, Kinds kinds) {
    KafkaConfig kafka = KafkaConfig.from(context.settings());
    DatabaseConfig database = DatabaseConfig.from(context.settings());
    Workspace workspace = Workspace.from(context.settings());
    RetryTiers tiers = config.tiers();
    String instance = context.node().instanceId();
    WorkerExecutor work = context.vertx().createSharedWorkerExecutor("job-work", config.workThreads());
    CatalogClient catalog = new CatalogClient(context.busClient(), config.catalogTimeout(), context.callerSeal());
    JobEvents events = new JobEvents(context.vertx().eventBus());
    JobQueue queue = new JobQueue(context.vertx(), kafka, instance + "-jobs", config,
        new QueueReachability(context.vertx(), kafka, config, context.metrics()));
    return Databases.prepare(context.vertx(), database, "worker")
        .compose(v -> {
          Pool pool = Databases.primaryPool(context.vertx(), database);
          JobStore jobs = new JobStore(pool);
          DeadLetterStore letters = new DeadLetterStore(pool);
          JobRunner runner = new JobRunner(context.vertx(), jobs, events, kinds.of(work, workspace, catalog, config), config,
              context.metrics());
          JobConsumer consumer = new JobConsumer(context.vertx(), kafka, config.group(), instance + "-jobs", Map.of(),
              tiers, config.maxInFlight(), runner).reportLag(context.metrics());
          DeadLetterRecorder recorder = new DeadLetterRecorder(context.vertx(), letters, Duration.ofSeconds(1), context.metrics());
          PendingDeadLetters pending = new PendingDeadLetters(context.vertx(), letters, context.metrics());
          UploadSweeper sweeper = new UploadSweeper(context.vertx(), workspace, jobs, config.orphanUploadAge(), context.metrics());
          JobConsumer deadLetters = new JobConsumer(context.vertx(), kafka, config.deadLetterGroup(), instance + "-dlq", Map.of(),
              new RetryTiers(tiers.dlq(), List.of(), tiers.dlq()), 16, recorder).reportLag(context.metrics());
          context.onDrain(() -> {
            recorder.stop();
            pending.stop();
            sweeper.stop();
            return Future.join(consumer.stop(context.node().drainTimeout()), deadLetters.stop(context.node().drainTimeout()))
                .compose(v2 -> queue.close()).eventually(work::close).mapEmpty();
          });
          return Future.all(
                  new JobEndpoints(jobs, queue, context.callerSeal()).register(context.endpoints()),
                  new DeadLetterEndpoints(letters, jobs, queue, events, context.callerSeal()).register(context.endpoints()))
              .onSuccess(v2 -> {
                consumer.start();
                deadLetters.start();
                pending.start(config.pendingDeadLettersRefresh());
                sweeper.start(config.uploadSweepInterval());
              });
        })
        .mapEmpty();
  }
}
