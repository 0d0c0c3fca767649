package io.scaleout.worker;

import io.scaleout.common.api.ApiRequest;
import io.scaleout.common.api.Caller;
import io.scaleout.common.worker.JobSubmission;
import io.scaleout.common.worker.WorkerAddresses;
import io.scaleout.testsupport.KafkaBrokerProcess;
import io.scaleout.testsupport.PostgresDatabases;
import io.scaleout.testsupport.TestCluster;
import io.scaleout.testsupport.Waiting;
import io.scaleout.worker.job.JobHandler;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Job submissions while Kafka is down (killed) or hung (SIGSTOP), against a real broker in a child
 * JVM: once the worker knows, a submission answers 503 at once instead of waiting out a send; the
 * first one after a hang answers 503 within the enqueue timeout; when Kafka is back submissions are
 * taken again, every job answered 202 runs exactly once and none answered 503 runs at all.
 */
class JobQueueOutageTest {
  private static final String DB = PostgresDatabases.uniqueName("worker_outage");
  private static final Caller ADMIN = new Caller("admin-7", Set.of("admin"));
  private static final long ENQUEUE_TIMEOUT_MS = 1000;
  /**
   * "At once": well under the enqueue timeout, so no answer waited for Kafka. Not tighter: on a busy
   * 2-core CI runner one answer of sixteen once took 222 ms (the others 4-22 ms).
   */
  private static final long AT_ONCE_MS = ENQUEUE_TIMEOUT_MS / 2;
  private static final Map<String, AtomicInteger> RUNS = new ConcurrentHashMap<>();
  private static final JobHandler COUNTING = (job, progress) -> {
    RUNS.computeIfAbsent(job.id().toString(), id -> new AtomicInteger()).incrementAndGet();
    return Future.succeededFuture(new JsonObject());
  };
  private static KafkaBrokerProcess kafka;
  private static TestCluster cluster;
  private static Vertx client;

  /** A submission's outcome: 202 (accepted) or the failure code, and how long the answer took. */
  private record Answer(String jobId, int status, long millis) {
  }

  @BeforeAll
  static void start() {
    kafka = KafkaBrokerProcess.start();
    cluster = new TestCluster();
    cluster.startNode("worker", "worker", Map.of("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(), "KAFKA_PARTITIONS", "2",
            "KAFKA_TIMEOUT_MS", "5000", "DB_NAME", DB, "JOB_ENQUEUE_TIMEOUT_MS", Long.toString(ENQUEUE_TIMEOUT_MS),
            "JOB_QUEUE_PROBE_MS", "250", "JOB_QUEUE_PROBE_TIMEOUT_MS", "500"),
        context -> WorkerModule.start(context, (work, workspace, catalog, config) -> Map.of(JobSubmission.THUMBNAIL, COUNTING)));
    client = cluster.startClient();
  }

  @AfterAll
  static void stop() {
    cluster.close();
    kafka.close();
    PostgresDatabases.drop(DB);
  }

  private static Answer submit() {
    String id = UUID.randomUUID().toString();
    JsonObject input = new JsonObject().put("productId", 1).put("file", id + ".png");
    long begin = System.nanoTime();
    CompletableFuture<Integer> status = new CompletableFuture<>();
    client.eventBus().request(WorkerAddresses.JOB_SUBMIT,
            new ApiRequest(new JsonObject(), new JsonObject(), new JobSubmission(id, JobSubmission.THUMBNAIL, input).toJson(),
                new JsonObject()).toJson(), cluster.callerSeal().sign(ADMIN, WorkerAddresses.JOB_SUBMIT,
                new DeliveryOptions().setSendTimeout(10_000)))
        .onComplete(ar -> status.complete(ar.succeeded() ? 202
            : ar.cause() instanceof ReplyException reply ? reply.failureCode() : -1));
    try {
      return new Answer(id, status.get(15, TimeUnit.SECONDS), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
    } catch (Exception e) {
      throw new AssertionError("no answer to a submission", e);
    }
  }

  /** Submits every 100 ms for that long. */
  private static List<Answer> submitFor(Duration span, List<Answer> into) {
    long end = System.nanoTime() + span.toNanos();
    while (System.nanoTime() < end) {
      into.add(submit());
      Waiting.pause(100);
    }
    return into;
  }

  @Test
  void submissionsAnswer503AtOnceWhileKafkaIsDownOrHungAndNothingAcceptedIsLost() {
    List<Answer> answers = new ArrayList<>();
    assertThat(submit().status()).as("Kafka up").isEqualTo(202);

    kafka.stop();
    List<Answer> whileDown = submitFor(Duration.ofSeconds(4), new ArrayList<>());
    assertThat(whileDown).as("no submission is accepted while Kafka is down").allMatch(a -> a.status() == 503);
    assertThat(whileDown).as("each answered within the enqueue timeout")
        .allMatch(a -> a.millis() < ENQUEUE_TIMEOUT_MS + 500);
    assertThat(whileDown.subList(whileDown.size() / 2, whileDown.size())).as("once known down: at once")
        .allMatch(a -> a.millis() < AT_ONCE_MS);
    answers.addAll(whileDown);

    kafka.restart();
    Waiting.until("submissions accepted again", Duration.ofSeconds(30), () -> {
      Answer a = submit();
      answers.add(a);
      return a.status() == 202;
    });

    kafka.pause();
    List<Answer> whileHung = submitFor(Duration.ofSeconds(3), new ArrayList<>());
    kafka.resume();
    assertThat(whileHung).as("none accepted while Kafka hangs").allMatch(a -> a.status() == 503);
    assertThat(whileHung.get(0).millis()).as("the first within the enqueue timeout").isLessThan(ENQUEUE_TIMEOUT_MS + 500);
    assertThat(whileHung.subList(1, whileHung.size())).as("the rest at once").allMatch(a -> a.millis() < AT_ONCE_MS);
    answers.addAll(whileHung);
    Waiting.until("submissions accepted after the hang", Duration.ofSeconds(30), () -> {
      Answer a = submit();
      answers.add(a);
      return a.status() == 202;
    });
    answers.addAll(submitFor(Duration.ofSeconds(1), new ArrayList<>()));

    List<String> accepted = answers.stream().filter(a -> a.status() == 202).map(Answer::jobId).toList();
    Waiting.until("every accepted job ran", Duration.ofSeconds(60), () -> accepted.stream().allMatch(RUNS::containsKey));
    Waiting.pause(2000); // a send given up on that Kafka took late would run now
    assertThat(accepted).as("each accepted job ran once").allMatch(id -> RUNS.get(id).get() == 1);
    assertThat(answers.stream().filter(a -> a.status() == 503).map(Answer::jobId)).as("no refused job ran")
        .noneMatch(RUNS::containsKey);
  }
}
