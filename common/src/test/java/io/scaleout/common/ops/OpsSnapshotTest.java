package io.scaleout.common.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.scaleout.common.cluster.InstanceAnnouncement;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OpsSnapshotTest {

  @Test
  void takesTheServicesOwnMetersWithTheirTagsAndTheBucketsOfTimers() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    registry.config().commonTags("service", "worker", "instance", "worker-1");
    Counter.builder("worker.jobs").tag("kind", "thumbnail").tag("result", "succeeded").register(registry).increment(3);
    Gauge.builder("worker.dead.letters.pending", new AtomicLong(7), AtomicLong::get).register(registry);
    Timer timer = Timer.builder("worker.job.duration").serviceLevelObjectives(Duration.ofMillis(10), Duration.ofMillis(100))
        .register(registry);
    timer.record(Duration.ofMillis(5));
    timer.record(Duration.ofMillis(50));
    timer.record(Duration.ofMillis(500));
    Counter.builder("jvm.something").register(registry).increment();
    Counter.builder("gateway.requests").register(registry).increment();

    OpsSnapshot snapshot = OpsSnapshot.of("worker", "worker-1", InstanceAnnouncement.State.READY, 1234, registry);

    assertThat(snapshot.figures())
        .containsEntry("worker.jobs{kind=thumbnail,result=succeeded}", 3.0)
        .containsEntry("worker.dead.letters.pending", 7.0)
        .containsEntry("worker.job.duration.count", 3.0)
        .containsEntry("worker.job.duration.le.10", 1.0)
        .containsEntry("worker.job.duration.le.100", 2.0)
        .doesNotContainKeys("jvm.something", "gateway.requests");
    assertThat(snapshot.figures().get("worker.job.duration.sumMs")).isEqualTo(555.0);
    OpsSnapshot read = OpsSnapshot.fromJson(snapshot.toJson());
    assertThat(read).isEqualTo(snapshot);
  }

  @Test
  void aReplyWithoutItsNamesIsRefused() {
    assertThatThrownBy(() -> OpsSnapshot.fromJson(new JsonObject().put("service", "catalog")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("instance");
  }
}
