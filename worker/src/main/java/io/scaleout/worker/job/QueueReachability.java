package io.scaleout.worker.job;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.scaleout.common.kafka.KafkaConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.admin.KafkaAdminClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * Whether Kafka takes jobs now, so that a submission meets a 503 at once while it does not rather
 * than waiting out a send that cannot succeed. A cluster description is asked every probe interval
 * (one at a time, bounded by the probe timeout); a send that failed or timed out marks Kafka
 * unreachable until the next probe answers. Runs on the event loop of the context it was made on.
 */
public final class QueueReachability {
  private static final Logger log = LoggerFactory.getLogger(QueueReachability.class);

  private final KafkaAdminClient admin;
  private final long probeTimeoutMs;
  private final long timer;
  private final Vertx vertx;
  private volatile boolean reachable = true;
  private boolean probing;

  public QueueReachability(Vertx vertx, KafkaConfig kafka, JobConfig config, MeterRegistry metrics) {
    this.vertx = vertx;
    this.admin = KafkaAdminClient.create(vertx, kafka.adminProperties());
    this.probeTimeoutMs = config.queueProbeTimeout().toMillis();
    Gauge.builder("worker_job_queue_reachable", () -> reachable ? 1 : 0)
        .description("1 while Kafka takes jobs, 0 while submissions are refused").register(metrics);
    this.timer = vertx.setPeriodic(config.queueProbeInterval().toMillis(), id -> probe());
  }

  public boolean reachable() {
    return reachable;
  }

  /** A send failed: refuse submissions until a probe answers. */
  public void suspect(Throwable failure) {
    change(false, failure.toString());
  }

  private void probe() {
    if (probing) {
      return;
    }
    probing = true;
    admin.describeCluster().timeout(probeTimeoutMs, TimeUnit.MILLISECONDS)
        .onComplete(ar -> {
          probing = false;
          change(ar.succeeded(), ar.succeeded() ? "a probe answered" : ar.cause().toString());
        });
  }

  private void change(boolean now, String why) {
    if (reachable != now) {
      reachable = now;
      log.warn(now ? "Kafka takes jobs again ({})" : "Kafka does not take jobs ({}): submissions answer 503 until it does", why);
    }
  }

  public Future<Void> close() {
    vertx.cancelTimer(timer);
    return admin.close();
  }
}
