package io.scaleout.worker.job;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.scaleout.common.worker.Workspace;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The sweep of uploads no job reads, over a real workspace folder and the job records in a Postgres database of its own. */
class UploadSweeperTest {
  private static final Duration ORPHAN_AGE = Duration.ofHours(1);
  @TempDir
  static Path root;
  private static JobDatabase database;
  private static JobStore jobs;
  private static Workspace workspace;
  private static SimpleMeterRegistry metrics;
  private static UploadSweeper sweeper;

  @BeforeAll
  static void start() throws IOException {
    database = JobDatabase.start("sweep");
    jobs = database.jobs();
    workspace = new Workspace(root);
    Files.createDirectories(workspace.uploads());
    metrics = new SimpleMeterRegistry();
    sweeper = new UploadSweeper(database.vertx(), workspace, jobs, ORPHAN_AGE, metrics);
  }

  @AfterAll
  static void stop() {
    database.close();
  }

  private static <T> T await(Future<T> future) {
    return JobDatabase.await(future);
  }

  /** An upload of that job, last written {@code age} ago. */
  private static Path upload(UUID job, String extension, Duration age) throws IOException {
    Path file = workspace.uploads().resolve(job + extension);
    Files.write(file, new byte[] {1, 2, 3});
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(age)));
    return file;
  }

  @Test
  void onlyOldUploadsThatNameNoJobAreDeleted() throws IOException {
    Path orphan = upload(UUID.randomUUID(), ".png", ORPHAN_AGE.plusMinutes(5));
    UUID deadJob = UUID.randomUUID();
    await(jobs.create(deadJob, "thumbnail", "admin-1", new JsonObject()));
    await(jobs.dead(deadJob, "the image cannot be decoded"));
    Path keptForReplay = upload(deadJob, ".jpg", ORPHAN_AGE.multipliedBy(3));
    UUID queuedJob = UUID.randomUUID();
    await(jobs.create(queuedJob, "import", "admin-1", new JsonObject()));
    Path waitingForItsJob = upload(queuedJob, ".csv", ORPHAN_AGE.plusMinutes(1));
    Path recent = upload(UUID.randomUUID(), ".png", Duration.ofMinutes(1));
    Path notAnUpload = workspace.uploads().resolve("notes.txt");
    Files.writeString(notAnUpload, "an operator's file");
    Files.setLastModifiedTime(notAnUpload, FileTime.from(Instant.now().minus(Duration.ofDays(3))));

    assertThat(await(sweeper.sweep())).isEqualTo(1);

    assertThat(orphan).doesNotExist();
    assertThat(keptForReplay).exists();
    assertThat(waitingForItsJob).exists();
    assertThat(recent).as("a submission may still be on its way").exists();
    assertThat(notAnUpload).exists();
    assertThat(metrics.counter("worker.uploads.swept").count()).isEqualTo(1.0);
    assertThat(await(sweeper.sweep())).as("nothing left to sweep").isZero();
  }
}
