package io.scaleout.worker.consumer;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.scaleout.common.kafka.KafkaConfig;
import io.scaleout.testsupport.Await;
import io.scaleout.testsupport.KafkaBroker;
import io.scaleout.testsupport.Waiting;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The job consumer against a real KRaft broker: commits, backpressure, retry tiers, dead letters. */
class JobConsumerTest {
  private static KafkaBroker broker;
  private static Vertx vertx;
  private static KafkaConfig kafka;
  private static KafkaProducer<String, String> producer;

  @BeforeAll
  static void start() {
    broker = KafkaBroker.start();
    vertx = Vertx.vertx();
    kafka = new KafkaConfig(broker.bootstrapServers(), Duration.ofSeconds(10), 1);
    producer = new KafkaProducer<>(new HashMap<>(kafka.producerProperties("test")));
  }

  @AfterAll
  static void stop() throws Exception {
    producer.close();
    Await.result(vertx.close(), Duration.ofSeconds(10));
    broker.close();
  }

  private static RetryTiers topics(Duration first, Duration second) {
    String run = UUID.randomUUID().toString().substring(0, 8);
    RetryTiers tiers = new RetryTiers("jobs-" + run,
        List.of(new RetryTiers.Tier("jobs.retry.a-" + run, first), new RetryTiers.Tier("jobs.retry.b-" + run, second)),
        "jobs.dlq-" + run);
    tiers.consumed().forEach(topic -> broker.createTopic(topic, 1));
    broker.createTopic(tiers.dlq(), 1);
    return tiers;
  }

  private static void send(String topic, String key, String value) {
    Await.result(Future.fromCompletionStage(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      try {
        return producer.send(new ProducerRecord<>(topic, key, value)).get();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    })), Duration.ofSeconds(20));
  }

  private static long committed(String group, String topic) {
    try (Admin admin = Admin.create(new HashMap<>(kafka.adminProperties()))) {
      OffsetAndMetadata offset = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get()
          .get(new TopicPartition(topic, 0));
      return offset == null ? -1 : offset.offset();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void anUnfinishedRecordIsNeverCommittedPastAndIsHandledAgainAfterACrash() {
    RetryTiers tiers = topics(Duration.ofMillis(100), Duration.ofMillis(100));
    String group = "group-" + tiers.main();
    List<String> done = new CopyOnWriteArrayList<>();
    JobConsumer first = new JobConsumer(vertx, kafka, group, "first", Map.of(), tiers, 10, record -> {
      if (record.key().equals("k0")) {
        return Promise.<Outcome>promise().future(); // slow: still running at the crash
      }
      done.add(record.key());
      return Future.succeededFuture(Outcome.DONE);
    });
    first.start();
    for (int i = 0; i < 5; i++) {
      send(tiers.main(), "k" + i, "{}");
    }
    Waiting.until("k1..k4 done", Duration.ofSeconds(30), () -> done.size() == 4);
    Waiting.pause(500);
    assertThat(committed(group, tiers.main())).as("nothing past k0, which is unfinished").isIn(-1L, 0L);

    Await.result(first.stop(Duration.ZERO), Duration.ofSeconds(30));

    List<String> again = new CopyOnWriteArrayList<>();
    JobConsumer second = new JobConsumer(vertx, kafka, group, "second", Map.of(), tiers, 10, record -> {
      again.add(record.key());
      return Future.succeededFuture(Outcome.DONE);
    });
    second.start();
    Waiting.until("k0 handled again", Duration.ofSeconds(30), () -> again.contains("k0"));
    Await.result(second.stop(Duration.ofSeconds(5)), Duration.ofSeconds(30));
    assertThat(again.get(0)).isEqualTo("k0");
    assertThat(committed(group, tiers.main())).isEqualTo(5L);
  }

  @Test
  void aForwardWaitingForKafkaNeverHoldsTheEventLoopAndGoesOutOnceItCan() {
    String run = UUID.randomUUID().toString().substring(0, 8);
    RetryTiers tiers = new RetryTiers("jobs-" + run, List.of(new RetryTiers.Tier("jobs.retry.a-" + run, Duration.ofMillis(100))),
        "jobs.dlq-" + run);
    // the retry topic does not exist yet: the producer waits for its metadata (up to max.block.ms, 10 s here)
    broker.createTopic(tiers.main(), 1);
    broker.createTopic(tiers.dlq(), 1);
    AtomicReference<Context> handling = new AtomicReference<>();
    List<String> retried = new CopyOnWriteArrayList<>();
    JobConsumer consumer = new JobConsumer(vertx, kafka, "group-" + tiers.main(), "forwarding", Map.of(), tiers, 10, record -> {
      handling.set(Vertx.currentContext());
      if (record.topic().equals(tiers.main())) {
        return Future.succeededFuture(new Outcome.Retry("fails the first time"));
      }
      retried.add(record.key());
      return Future.succeededFuture(Outcome.DONE);
    });
    consumer.start();
    send(tiers.main(), "k-forward", "{}");
    Waiting.until("the record handled", Duration.ofSeconds(30), () -> handling.get() != null);

    long worstMillis = 0;
    for (int i = 0; i < 30; i++) {
      long sent = System.nanoTime();
      Await.result(Future.<Void>future(ran -> handling.get().runOnContext(v -> ran.complete())), Duration.ofSeconds(30));
      worstMillis = Math.max(worstMillis, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent));
      Waiting.pause(100);
    }
    System.out.println("MEASURED the consumer's event loop answered within " + worstMillis + " ms while a forward waited for Kafka");
    assertThat(worstMillis).as("the event loop, while the forward waits for the topic's metadata").isLessThan(500);

    broker.createTopic(tiers.nextAfter(tiers.main()), 1);
    Waiting.until("the record forwarded and handled from the retry topic", Duration.ofSeconds(60), () -> retried.contains("k-forward"));
    Await.result(consumer.stop(Duration.ofSeconds(5)), Duration.ofSeconds(30));
  }

  @Test
  void atMostTheLimitRunAtOnceAndTheMemberStaysInItsGroup() {
    RetryTiers tiers = topics(Duration.ofMillis(100), Duration.ofMillis(100));
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    Map<String, Integer> times = new ConcurrentHashMap<>();
    // a poll interval far shorter than the whole run: only a member that keeps polling while paused stays
    JobConsumer consumer = new JobConsumer(vertx, kafka, "group-" + tiers.main(), "limited",
        Map.of("max.poll.interval.ms", "1500"), tiers, 4, record -> {
      most.accumulateAndGet(running.incrementAndGet(), Math::max);
      times.merge(record.key(), 1, Integer::sum);
      Promise<Outcome> slow = Promise.promise();
      vertx.setTimer(500, id -> {
        running.decrementAndGet();
        slow.complete(Outcome.DONE);
      });
      return slow.future();
    });
    consumer.start();
    for (int i = 0; i < 24; i++) {
      send(tiers.main(), "r" + i, "{}");
    }
    long started = System.nanoTime();
    Waiting.until("24 records", Duration.ofSeconds(60), () -> times.size() == 24 && running.get() == 0);
    Await.result(consumer.stop(Duration.ofSeconds(5)), Duration.ofSeconds(30));

    assertThat(most.get()).isEqualTo(4);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(Duration.ofMillis(1500));
    assertThat(times.values()).as("no rebalance handed a record out twice").containsOnly(1);
  }

  @Test
  void theLagGaugeCountsTheRecordsNotYetTakenUpAndFallsToZero() {
    RetryTiers tiers = topics(Duration.ofMillis(100), Duration.ofMillis(100));
    SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    List<Promise<Outcome>> held = new CopyOnWriteArrayList<>();
    JobConsumer consumer = new JobConsumer(vertx, kafka, "group-" + tiers.main(), "lagging", Map.of(), tiers, 2, record -> {
      Promise<Outcome> outcome = Promise.promise();
      held.add(outcome);
      return outcome.future();
    }).reportLag(metrics);
    consumer.start();
    for (int i = 0; i < 10; i++) {
      send(tiers.main(), "l" + i, "{}");
    }
    Waiting.until("two records held, eight behind", Duration.ofSeconds(30),
        () -> held.size() == 2 && lag(metrics, tiers.main()) == 8);
    assertThat(lag(metrics, tiers.tiers().get(0).topic())).isZero();

    Waiting.until("all taken up", Duration.ofSeconds(30), () -> {
      vertx.runOnContext(v -> held.forEach(outcome -> outcome.tryComplete(Outcome.DONE)));
      return held.size() == 10 && lag(metrics, tiers.main()) == 0;
    });
    Await.result(consumer.stop(Duration.ofSeconds(5)), Duration.ofSeconds(30));
  }

  private static double lag(SimpleMeterRegistry metrics, String topic) {
    return metrics.get("worker.consumer.lag").tag("topic", topic).gauge().value();
  }

  @Test
  void failuresGoThroughTheRetryTiersWithTheirDelaysThenToTheDeadLetters() {
    RetryTiers tiers = topics(Duration.ofMillis(400), Duration.ofMillis(1200));
    Map<String, List<Long>> attempts = new ConcurrentHashMap<>();
    List<String> done = new CopyOnWriteArrayList<>();
    JobConsumer consumer = new JobConsumer(vertx, kafka, "group-" + tiers.main(), "tiers", Map.of(), tiers, 10, record -> {
      attempts.computeIfAbsent(record.key(), k -> new CopyOnWriteArrayList<>()).add(System.currentTimeMillis());
      int attempt = JobConsumer.attempt(record);
      return Future.succeededFuture(switch (record.value()) {
        case "flaky" -> attempt < 3 ? new Outcome.Retry("not yet (" + attempt + ")") : done(done, record);
        case "broken" -> new Outcome.Retry("still broken");
        case "ok" -> done(done, record);
        default -> new Outcome.Dead("cannot parse the record");
      });
    });
    consumer.start();
    send(tiers.main(), "flaky", "flaky");
    send(tiers.main(), "broken", "broken");
    send(tiers.main(), "garbage", "%%% not a job");
    send(tiers.main(), "after-garbage", "ok");

    Waiting.until("flaky done", Duration.ofSeconds(60), () -> done.contains("flaky") && done.contains("after-garbage"));
    List<ConsumerRecord<String, String>> dead = readAll(tiers.dlq(), 2);
    Await.result(consumer.stop(Duration.ofSeconds(5)), Duration.ofSeconds(30));

    List<Long> flaky = attempts.get("flaky");
    assertThat(flaky).hasSize(3);
    assertThat(flaky.get(1) - flaky.get(0)).as("first tier's delay").isGreaterThanOrEqualTo(400);
    assertThat(flaky.get(2) - flaky.get(1)).as("second tier's delay").isGreaterThanOrEqualTo(1200);
    assertThat(attempts.get("broken")).hasSize(3);
    assertThat(attempts.get("garbage")).as("straight to the DLQ").hasSize(1);
    Map<String, ConsumerRecord<String, String>> byKey = new HashMap<>();
    dead.forEach(record -> byKey.put(record.key(), record));
    assertThat(header(byKey.get("broken"), JobConsumer.ATTEMPT_HEADER)).isEqualTo("3");
    assertThat(header(byKey.get("broken"), JobConsumer.ERROR_HEADER)).isEqualTo("still broken");
    assertThat(header(byKey.get("broken"), JobConsumer.FAILED_TOPIC_HEADER)).isEqualTo(tiers.tiers().get(1).topic());
    assertThat(header(byKey.get("garbage"), JobConsumer.ATTEMPT_HEADER)).isEqualTo("1");
    assertThat(byKey.get("garbage").value()).isEqualTo("%%% not a job");
  }

  private static Outcome done(List<String> done, ConsumerRecord<String, String> record) {
    done.add(record.key());
    return Outcome.DONE;
  }

  private static String header(ConsumerRecord<String, String> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }

  private static List<ConsumerRecord<String, String>> readAll(String topic, int count) {
    Map<String, Object> props = new HashMap<>(kafka.consumerProperties("reader-" + UUID.randomUUID(), "reader", 100));
    List<ConsumerRecord<String, String>> records = new ArrayList<>();
    try (KafkaConsumer<String, String> reader = new KafkaConsumer<>(props)) {
      reader.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (records.size() < count && System.nanoTime() < deadline) {
        reader.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    assertThat(records).hasSize(count);
    return records;
  }
}
