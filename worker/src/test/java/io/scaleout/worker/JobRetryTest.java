package io.scaleout.worker;

import io.scaleout.common.api.ApiRequest;
import io.scaleout.common.api.Caller;
import io.scaleout.common.runtime.ServiceRuntime;
import io.scaleout.common.worker.JobEvent;
import io.scaleout.common.worker.JobSubmission;
import io.scaleout.common.worker.WorkerAddresses;
import io.scaleout.testsupport.Await;
import io.scaleout.testsupport.KafkaBroker;
import io.scaleout.testsupport.PostgresDatabases;
import io.scaleout.testsupport.PrometheusText;
import io.scaleout.testsupport.TestCluster;
import io.scaleout.testsupport.Waiting;
import io.scaleout.common.db.DatabaseConfig;
import io.scaleout.common.config.Settings;
import io.scaleout.common.db.Databases;
import io.scaleout.common.kafka.KafkaConfig;
import io.scaleout.worker.dlq.DeadLetter;
import io.scaleout.worker.dlq.DeadLetterStore;
import io.scaleout.worker.job.JobFailure;
import io.scaleout.worker.job.JobHandler;
import io.scaleout.worker.job.JobRecords;
import io.scaleout.worker.job.JobStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The job runner on a real worker node (real broker and Postgres) with a job kind of the test's: a
 * job failing twice goes through both retry tiers, each after its delay, and then succeeds; a
 * permanent failure is dead at once; a job whose attempts keep dying with their workers is dead
 * without running again; every change reaches the cluster as a job event.
 */
class JobRetryTest {
  private static final String DB = PostgresDatabases.uniqueName("worker_retry");
  private static final Caller ADMIN = new Caller("admin-9", Set.of("admin"));
  private static final Map<UUID, List<Long>> ATTEMPTS = new ConcurrentHashMap<>();
  private static KafkaBroker broker;
  private static TestCluster cluster;
  private static Vertx client;
  private static ServiceRuntime worker;
  private static final List<JobEvent> EVENTS = new CopyOnWriteArrayList<>();

  /** Fails transiently until the third attempt; a job whose product is 0 fails for good. */
  private static final JobHandler FLAKY = (job, progress) -> {
    ATTEMPTS.computeIfAbsent(job.id(), id -> new CopyOnWriteArrayList<>()).add(System.nanoTime());
    if (job.payload().getLong("productId") == 0) {
      return Future.failedFuture(new JobFailure("no such product"));
    }
    progress.report(50);
    return job.attempts() < 3 ? Future.failedFuture(new IllegalStateException("flaky " + job.attempts()))
        : Future.succeededFuture(new JsonObject().put("attempt", job.attempts()));
  };

  @BeforeAll
  static void start() {
    broker = KafkaBroker.start();
    cluster = new TestCluster();
    worker = cluster.startNode("worker", "worker", Map.of("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(), "KAFKA_PARTITIONS", "2",
            "DB_NAME", DB, "JOB_RETRY_DELAYS_MS", "500,1000", "JOB_PROGRESS_INTERVAL_MS", "0"),
        context -> WorkerModule.start(context, (work, workspace, catalog, config) -> Map.of(JobSubmission.THUMBNAIL, FLAKY)));
    client = cluster.startClient();
    client.eventBus().<JsonObject>consumer(WorkerAddresses.JOB_EVENTS, message -> EVENTS.add(JobEvent.fromJson(message.body())));
  }

  @AfterAll
  static void stop() throws Exception {
    cluster.close();
    broker.close();
    PostgresDatabases.drop(DB);
  }

  private static UUID submit(long productId) {
    UUID id = UUID.randomUUID();
    JsonObject input = new JsonObject().put("productId", productId).put("file", id + ".png");
    JsonObject reply = (JsonObject) Await.result(client.eventBus().request(WorkerAddresses.JOB_SUBMIT,
        new ApiRequest(new JsonObject(), new JsonObject(), new JobSubmission(id.toString(), JobSubmission.THUMBNAIL, input).toJson(),
            new JsonObject()).toJson(), cluster.callerSeal().sign(ADMIN, WorkerAddresses.JOB_SUBMIT, new DeliveryOptions())), Duration.ofSeconds(20)).body();
    assertThat(reply.getString("jobId")).isEqualTo(id.toString());
    return id;
  }

  private static List<String> statuses(UUID id) {
    return EVENTS.stream().filter(e -> e.jobId().equals(id.toString())).map(JobEvent::status).toList();
  }

  @Test
  void aJobFailingTwiceGoesThroughBothRetryTiersAfterTheirDelaysThenSucceeds() {
    UUID id = submit(7);
    Waiting.until("succeeded", Duration.ofSeconds(60), () -> statuses(id).contains("succeeded"));
    List<Long> at = ATTEMPTS.get(id);
    assertThat(at).hasSize(3);
    assertThat(Duration.ofNanos(at.get(1) - at.get(0))).as("first tier's delay").isGreaterThanOrEqualTo(Duration.ofMillis(500));
    assertThat(Duration.ofNanos(at.get(2) - at.get(1))).as("second tier's delay").isGreaterThanOrEqualTo(Duration.ofMillis(1000));
    assertThat(statuses(id)).containsSubsequence("running", "failed", "running", "failed", "running", "succeeded");
    JobEvent done = EVENTS.stream().filter(e -> e.jobId().equals(id.toString()) && e.status().equals("succeeded")).findFirst().orElseThrow();
    assertThat(done.attempts()).isEqualTo(3);
    assertThat(done.progress()).isEqualTo(100);
    assertThat(done.result()).isEqualTo(new JsonObject().put("attempt", 3));
    assertThat(done.owner()).isEqualTo(ADMIN.userId());

    PrometheusText metrics = PrometheusText.scrape(client, worker.managementPort());
    assertThat(metrics.value("worker_jobs_total", "result=\"retried\"")).as("two retries counted").isGreaterThanOrEqualTo(2);
    assertThat(metrics.value("worker_jobs_total", "result=\"succeeded\"")).isGreaterThanOrEqualTo(1);
    assertThat(metrics.value("worker_job_duration_seconds_count", "kind=\"thumbnail\"")).isGreaterThanOrEqualTo(3);
    assertThat(metrics.lines()).as("the lag of every job topic is reported")
        .anyMatch(line -> line.startsWith("worker_consumer_lag_records{") && line.contains("topic=\"jobs\""));
  }

  @Test
  void aPermanentFailureIsDeadAtOnceAndARepeatedSubmissionIsTheSameJob() {
    UUID id = submit(0);
    Waiting.until("dead", Duration.ofSeconds(30), () -> statuses(id).contains("dead"));
    assertThat(ATTEMPTS.get(id)).as("not retried").hasSize(1);
    Waiting.until("the dead letter counted", Duration.ofSeconds(30),
        () -> PrometheusText.scrape(client, worker.managementPort()).value("worker_dead_letters_total", "service=\"worker\"") >= 1);
    JsonObject again = (JsonObject) Await.result(client.eventBus().request(WorkerAddresses.JOB_SUBMIT,
        new ApiRequest(new JsonObject(), new JsonObject(), new JobSubmission(id.toString(), JobSubmission.THUMBNAIL,
            new JsonObject().put("productId", 0).put("file", id + ".png")).toJson(), new JsonObject()).toJson(),
        cluster.callerSeal().sign(ADMIN, WorkerAddresses.JOB_SUBMIT, new DeliveryOptions())), Duration.ofSeconds(20)).body();
    assertThat(again.getString("status")).isEqualTo("dead");
    Waiting.pause(1000);
    assertThat(ATTEMPTS.get(id)).as("not queued twice").hasSize(1);
  }

  @Test
  void aDeadLetterAtAnOffsetSeenBeforeIsKeptWhenItIsAnotherRecordAndDroppedWhenDeliveredAgain() throws Exception {
    Vertx vertx = Vertx.vertx();
    Pool pool = Databases.primaryPool(vertx, DatabaseConfig.from(Settings.load("worker", Map.of("DB_NAME", DB))));
    try {
      DeadLetterStore letters = new DeadLetterStore(pool);
      Instant failed = Instant.parse("2026-12-01T10:00:00Z");
      DeadLetterStore.Arrival first = arrival(failed);
      assertThat(Await.result(letters.record(first), Duration.ofSeconds(10))).as("new").isTrue();
      assertThat(Await.result(letters.record(first), Duration.ofSeconds(10))).as("the same record delivered again").isFalse();
      // the topic made anew (another Kafka cluster): its offset 5 is another record, failed later
      assertThat(Await.result(letters.record(arrival(failed.plusSeconds(3600))), Duration.ofSeconds(10))).as("another record").isTrue();
      List<DeadLetter> listed = Await.result(letters.list(1000, true), Duration.ofSeconds(10)).stream()
          .filter(letter -> letter.topic().equals("recreated.dlq")).toList();
      assertThat(listed).hasSize(2);
    } finally {
      Await.result(pool.close(), Duration.ofSeconds(10));
      Await.result(vertx.close(), Duration.ofSeconds(10));
    }
  }

  private static DeadLetterStore.Arrival arrival(Instant failedAt) {
    UUID job = UUID.randomUUID();
    return new DeadLetterStore.Arrival("recreated.dlq", 0, 5, job, job.toString(), JobRecords.value(job), "jobs",
        "no such product", 1, failedAt);
  }

  @Test
  void aJobWhoseAttemptsKeepDyingWithTheirWorkersIsDeadWithoutRunningAgain() throws Exception {
    UUID id = UUID.randomUUID();
    Vertx vertx = Vertx.vertx();
    Pool pool = Databases.primaryPool(vertx, DatabaseConfig.from(Settings.load("worker", Map.of("DB_NAME", DB))));
    try {
      JobStore store = new JobStore(pool);
      Await.result(store.create(id, JobSubmission.THUMBNAIL, ADMIN.userId(), new JsonObject().put("productId", 7)),
          Duration.ofSeconds(10));
      // three workers took the job and died during it: each attempt started, none ended
      for (int i = 0; i < 3; i++) {
        Await.result(store.startAttempt(id), Duration.ofSeconds(10));
      }
    } finally {
      Await.result(pool.close(), Duration.ofSeconds(10));
      Await.result(vertx.close(), Duration.ofSeconds(10));
    }
    KafkaConfig kafka = new KafkaConfig(broker.bootstrapServers(), Duration.ofSeconds(10), 2);
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(new HashMap<>(kafka.producerProperties("test")))) {
      // the record redelivered to the next worker, as after a crash its offset was never committed
      producer.send(new ProducerRecord<>("jobs", id.toString(), JobRecords.value(id))).get(10, TimeUnit.SECONDS);
    }

    Waiting.until("dead", Duration.ofSeconds(30), () -> statuses(id).contains("dead"));
    assertThat(ATTEMPTS.get(id)).as("never run again").isNull();
    JobEvent dead = EVENTS.stream().filter(e -> e.jobId().equals(id.toString()) && e.status().equals("dead")).findFirst().orElseThrow();
    assertThat(dead.error()).contains("attempts never finished");
    assertThat(dead.attempts()).isEqualTo(4);
  }
}
