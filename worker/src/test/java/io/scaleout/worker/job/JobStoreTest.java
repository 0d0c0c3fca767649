package io.scaleout.worker.job;

import io.scaleout.testsupport.Await;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Job records in a real Postgres database of their own, migrated as the worker does at start. */
class JobStoreTest {
  private static JobDatabase database;
  private static JobStore jobs;

  @BeforeAll
  static void start() {
    database = JobDatabase.start("jobs");
    jobs = database.jobs();
  }

  @AfterAll
  static void stop() {
    database.close();
  }

  private static <T> T await(Future<T> future) {
    return JobDatabase.await(future);
  }

  @Test
  void aJobRunsToSuccessAndARedeliveredRecordFindsNothingToDo() {
    UUID id = UUID.randomUUID();
    Job created = await(jobs.create(id, "thumbnail", "user-1", new JsonObject().put("productId", 7))).orElseThrow();
    assertThat(created.status()).isEqualTo(JobStatus.QUEUED);
    assertThat(await(jobs.create(id, "thumbnail", "user-1", new JsonObject()))).as("created once").isEmpty();

    assertThat(await(jobs.startAttempt(id)).orElseThrow().attempts()).isEqualTo(1);
    assertThat(await(jobs.progress(id, 40)).orElseThrow().progress()).isEqualTo(40);
    assertThat(await(jobs.progress(id, 30))).as("progress never goes back").isEmpty();
    Job done = await(jobs.succeed(id, new JsonObject().put("images", 3))).orElseThrow();

    assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(done.progress()).isEqualTo(100);
    assertThat(done.result()).isEqualTo(new JsonObject().put("images", 3));
    assertThat(done.finishedAt()).isNotNull();
    assertThat(await(jobs.startAttempt(id))).as("a finished job is skipped").isEmpty();
    assertThat(await(jobs.dead(id, "late failure"))).as("nor can it die afterwards").isEmpty();
    assertThat(await(jobs.get(id)).orElseThrow().toJson().getString("status")).isEqualTo("succeeded");
  }

  @Test
  void failuresCountAttemptsAndADeadJobIsReplayedFromScratch() {
    UUID id = UUID.randomUUID();
    await(jobs.create(id, "import", "user-2", new JsonObject()));
    for (int attempt = 1; attempt <= 3; attempt++) {
      assertThat(await(jobs.startAttempt(id)).orElseThrow().attempts()).isEqualTo(attempt);
      assertThat(await(jobs.fail(id, "timeout " + attempt)).orElseThrow().status()).isEqualTo(JobStatus.FAILED);
    }
    assertThat(await(jobs.ofOwnerSince("user-2", Instant.now().plusSeconds(60)))).as("open").extracting(Job::id).containsExactly(id);
    Job dead = await(jobs.dead(id, "gave up after 3 attempts")).orElseThrow();
    assertThat(dead.status()).isEqualTo(JobStatus.DEAD);
    assertThat(await(jobs.startAttempt(id))).isEmpty();
    assertThat(await(jobs.ofOwnerSince("user-2", dead.updatedAt()))).as("finished before the resume point").isEmpty();
    assertThat(await(jobs.ofOwnerSince("user-2", dead.updatedAt().minusMillis(1)))).as("finished after it")
        .extracting(Job::id).containsExactly(id);

    Job replayed = await(jobs.requeue(id)).orElseThrow();
    assertThat(replayed.status()).isEqualTo(JobStatus.QUEUED);
    assertThat(replayed.attempts()).isZero();
    assertThat(replayed.error()).isNull();
    assertThat(await(jobs.startAttempt(id)).map(Job::attempts)).isEqualTo(Optional.of(1));
    assertThat(await(jobs.requeue(id))).as("only a dead job is replayed").isEmpty();
  }

  @Test
  void unknownJobsAndKindsAreRefused() {
    assertThat(await(jobs.get(UUID.randomUUID()))).isEmpty();
    assertThat(await(jobs.startAttempt(UUID.randomUUID()))).isEmpty();
    Future<Optional<Job>> bad = jobs.create(UUID.randomUUID(), "mining", "user-3", new JsonObject());
    assertThat(Await.failure(bad, Duration.ofSeconds(30))).hasMessageContaining("jobs_kind_check");
    assertThat(List.of(JobStatus.SUCCEEDED, JobStatus.DEAD)).allMatch(JobStatus::finished);
  }
}
