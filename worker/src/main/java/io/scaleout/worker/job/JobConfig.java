package io.scaleout.worker.job;

import io.scaleout.common.config.ConfigException;
import io.scaleout.common.config.Settings;
import io.scaleout.worker.consumer.RetryTiers;

import java.time.Duration;
import java.util.List;

/**
 * The job pipeline.
 *
 * @param topic            main topic of new jobs; retry tiers are {@code <topic>.retry.<delay>}, dead letters {@code <topic>.dlq}
 * @param retryDelays      delay of each retry tier, shortest first
 * @param group            consumer group of the job topics
 * @param deadLetterGroup  consumer group that records dead letters for operators
 * @param maxInFlight      jobs run at once per worker instance
 * @param timeout          an attempt taking longer fails (transiently) and is retried
 * @param workThreads      threads for the CPU and file work of jobs (images, parsing) per instance
 * @param importBatch      products per catalog upsert of an import
 * @param catalogTimeout   bound on each catalog request a job makes
 * @param progressInterval least time between two progress notices of a job
 * @param enqueueTimeout   a submission whose job Kafka has not acknowledged by then answers 503
 * @param queueProbeInterval how often Kafka is asked whether it takes jobs
 * @param queueProbeTimeout  a probe not answered by then finds Kafka unreachable
 * @param maxUnfinished    a job whose attempts died with their worker this many times in a row is dead,
 *                         not handed to the next worker (an input that crashes the JVM would take every
 *                         worker down in turn)
 * @param pendingDeadLettersRefresh how often the gauge of pending dead letters is counted again
 * @param uploadSweepInterval how often the workspace's uploads are looked through for orphans
 * @param orphanUploadAge  an upload this old that names no job record is deleted ({@link UploadSweeper})
 */
public record JobConfig(String topic, List<Duration> retryDelays, String group, String deadLetterGroup, int maxInFlight,
                        Duration timeout, int workThreads, int importBatch, Duration catalogTimeout, Duration progressInterval,
                        Duration enqueueTimeout, Duration queueProbeInterval, Duration queueProbeTimeout, int maxUnfinished,
                        Duration pendingDeadLettersRefresh, Duration uploadSweepInterval, Duration orphanUploadAge) {

  public static JobConfig from(Settings s) {
    List<Duration> delays = s.list("JOB_RETRY_DELAYS_MS").stream().map(value -> delay(value)).toList();
    return new JobConfig(
        s.string("JOB_TOPIC"),
        delays,
        s.string("JOB_GROUP"),
        s.string("JOB_DLQ_GROUP"),
        s.integer("JOB_MAX_IN_FLIGHT", 1, 10_000),
        s.millis("JOB_TIMEOUT_MS", 100, 86_400_000),
        s.integer("JOB_WORK_THREADS", 1, 256),
        s.integer("IMPORT_BATCH", 1, 1000),
        s.millis("CATALOG_TIMEOUT_MS", 10, 600_000),
        s.millis("JOB_PROGRESS_INTERVAL_MS", 0, 60_000),
        s.millis("JOB_ENQUEUE_TIMEOUT_MS", 10, 600_000),
        s.millis("JOB_QUEUE_PROBE_MS", 10, 600_000),
        s.millis("JOB_QUEUE_PROBE_TIMEOUT_MS", 10, 600_000),
        s.integer("JOB_MAX_UNFINISHED_ATTEMPTS", 1, 1000),
        s.millis("DLQ_PENDING_REFRESH_MS", 100, 3_600_000),
        s.millis("UPLOAD_SWEEP_INTERVAL_MS", 1000, 86_400_000),
        s.millis("ORPHAN_UPLOAD_AGE_MS", 60_000, 30L * 86_400_000));
  }

  private static Duration delay(String millis) {
    try {
      long value = Long.parseLong(millis);
      if (value >= 0 && value <= 86_400_000) {
        return Duration.ofMillis(value);
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new ConfigException("Invalid configuration: JOB_RETRY_DELAYS_MS must list delays in ms (0..86400000), not '" + millis + "'");
  }

  /** The topics a job travels through: {@code jobs}, {@code jobs.retry.1s}, …, {@code jobs.dlq}. */
  public RetryTiers tiers() {
    return new RetryTiers(topic,
        retryDelays.stream().map(d -> new RetryTiers.Tier(topic + ".retry." + name(d), d)).toList(),
        topic + ".dlq");
  }

  /** 1000 ms → "1s", 60000 → "60s", 250 → "250ms": the delay as a topic name says it. */
  static String name(Duration delay) {
    long ms = delay.toMillis();
    return ms % 1000 == 0 ? (ms / 1000) + "s" : ms + "ms";
  }
}
