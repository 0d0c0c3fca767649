package io.scaleout.worker.job;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.scaleout.worker.consumer.JobConsumer;
import io.scaleout.worker.consumer.Outcome;
import io.scaleout.worker.consumer.RetryTiers;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Runs the job a record of the job topics names. The job record decides: a job already finished
 * (a redelivery after a crash) is skipped; otherwise an attempt is recorded, and unless the job's
 * last JOB_MAX_UNFINISHED_ATTEMPTS attempts all died with their worker (it is dead then), the kind's handler
 * runs within the job timeout, and the outcome is recorded — succeeded, failed (the next retry
 * tier takes it) or dead (after the last tier, or at once for a permanent failure). Every change
 * is announced to the job's owner.
 */
public final class JobRunner implements JobConsumer.Handler {
  private static final Logger log = LoggerFactory.getLogger(JobRunner.class);

  private final Vertx vertx;
  private final JobStore jobs;
  private final JobEvents events;
  private final Map<String, JobHandler> handlers;
  private final RetryTiers tiers;
  private final JobConfig config;
  private final MeterRegistry metrics;

  public JobRunner(Vertx vertx, JobStore jobs, JobEvents events, Map<String, JobHandler> handlers, JobConfig config,
                   MeterRegistry metrics) {
    this.vertx = vertx;
    this.jobs = jobs;
    this.events = events;
    this.handlers = Map.copyOf(handlers);
    this.tiers = config.tiers();
    this.config = config;
    this.metrics = metrics;
  }

  @Override
  public Future<Outcome> handle(ConsumerRecord<String, String> record) {
    Optional<UUID> id = JobRecords.jobId(record.value());
    if (id.isEmpty()) {
      count("unknown", "dead");
      return Future.succeededFuture(new Outcome.Dead("not a job record"));
    }
    return jobs.startAttempt(id.get()).compose(started -> started.isPresent()
        ? run(started.get(), record)
        : jobs.get(id.get()).map(found -> {
          // no record: its submission was answered 503 and withdrawn while Kafka took the send late
          count(found.map(Job::kind).orElse("unknown"), found.isPresent() ? "skipped" : "withdrawn");
          return Outcome.DONE;
        }));
  }

  private Future<Outcome> run(Job job, ConsumerRecord<String, String> record) {
    events.changed(job);
    if (job.unfinishedAttempts() >= config.maxUnfinished()) {
      return finish(job, record, new JobFailure("its last " + job.unfinishedAttempts()
          + " attempts never finished: each may have taken its worker down"));
    }
    JobHandler handler = handlers.get(job.kind());
    if (handler == null) {
      return finish(job, record, new JobFailure("no handler for jobs of kind " + job.kind()));
    }
    Timer.Sample sample = Timer.start(metrics);
    ThinnedProgress progress = new ThinnedProgress(job);
    Future<JsonObject> work;
    try {
      work = handler.run(job, progress);
    } catch (RuntimeException e) {
      work = Future.failedFuture(e);
    }
    return work.timeout(config.timeout().toMillis(), TimeUnit.MILLISECONDS)
        .transform(ar -> progress.flushed().transform(v -> Future.succeededFuture(ar)))
        .compose(ar -> {
          sample.stop(Timer.builder("worker.job.duration").tag("kind", job.kind()).register(metrics));
          return ar.succeeded() ? succeed(handler, job, ar.result()) : finish(job, record, ar.cause());
        });
  }

  private Future<Outcome> succeed(JobHandler handler, Job job, JsonObject result) {
    return jobs.succeed(job.id(), result).map(done -> {
      done.ifPresent(events::changed);
      count(job.kind(), "succeeded");
      handler.cleanUp(job).onFailure(e -> log.warn("Cannot clean up after job {}: {}", job.id(), e.toString()));
      return Outcome.DONE;
    });
  }

  /** A failed attempt: the next tier takes it, or it is dead (no tier left, or nothing to retry). */
  private Future<Outcome> finish(Job job, ConsumerRecord<String, String> record, Throwable failure) {
    String error = String.valueOf(failure.getMessage());
    boolean dead = failure instanceof JobFailure || tiers.nextAfter(record.topic()).equals(tiers.dlq());
    if (dead) {
      log.error("Job {} ({}) is dead after attempt {}: {}", job.id(), job.kind(), job.attempts(), error);
      return jobs.dead(job.id(), error).map(done -> {
        done.ifPresent(events::changed);
        count(job.kind(), "dead");
        return new Outcome.Dead(error);
      });
    }
    log.warn("Job {} ({}) failed attempt {}, to be retried: {}", job.id(), job.kind(), job.attempts(), error);
    return jobs.fail(job.id(), error).map(done -> {
      done.ifPresent(events::changed);
      count(job.kind(), "retried");
      return new Outcome.Retry(error);
    });
  }

  private void count(String kind, String result) {
    Counter.builder("worker.jobs").description("job attempts by how they ended")
        .tag("kind", kind).tag("result", result).register(metrics).increment();
  }

  /**
   * Progress a handler reports, recorded and announced only when it moved forward and at most once
   * per progress interval; handlers may report from any thread. Writes run one after another, so
   * notices leave in the order of the progress they tell, and the job's outcome waits for them.
   */
  private final class ThinnedProgress implements JobHandler.Progress {
    private final Job job;
    private final Context context = vertx.getOrCreateContext();
    private int last;
    private long lastAt;
    /** The last progress write; touched on the context only. */
    private Future<Void> written = Future.succeededFuture();

    ThinnedProgress(Job job) {
      this.job = job;
      this.last = job.progress();
    }

    @Override
    public synchronized void report(int percent) {
      long now = System.nanoTime();
      int value = Math.max(0, Math.min(99, percent));
      if (value <= last || now - lastAt < config.progressInterval().toNanos()) {
        return;
      }
      last = value;
      lastAt = now;
      context.runOnContext(v -> written = written.transform(previous -> jobs.progress(job.id(), value)
          .onSuccess(changed -> changed.ifPresent(events::changed)).<Void>mapEmpty().otherwiseEmpty()));
    }

    /** Once every progress reported so far is written (on the context). */
    Future<Void> flushed() {
      Promise<Void> done = Promise.promise();
      context.runOnContext(v -> written.onComplete(ar -> done.complete()));
      return done.future();
    }
  }
}
