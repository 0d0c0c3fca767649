package io.scaleout.worker.job;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.scaleout.common.worker.Workspace;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Deletes uploads no job will ever read: older than {@code orphanAge} and naming no job record.
 * The gateway keeps an upload whose submission timed out (the job may have been queued); when the
 * worker never took it, or a gateway died between storing a body and submitting it, nothing else
 * would remove it. A finished job deleted its own upload and a dead one keeps it for a replay, so
 * only uploads without a record go. Every worker sweeps (a file deleted twice is no harm); the file
 * work runs on worker threads, at most {@link #BATCH} uploads per sweep.
 */
public final class UploadSweeper {
  static final int BATCH = 1000;
  private static final Logger log = LoggerFactory.getLogger(UploadSweeper.class);
  private final Vertx vertx;
  private final Workspace workspace;
  private final JobStore jobs;
  private final Duration orphanAge;
  private final Counter swept;
  private final AtomicBoolean sweeping = new AtomicBoolean();
  private long timer = -1;

  public UploadSweeper(Vertx vertx, Workspace workspace, JobStore jobs, Duration orphanAge, MeterRegistry metrics) {
    this.vertx = vertx;
    this.workspace = workspace;
    this.jobs = jobs;
    this.orphanAge = orphanAge;
    this.swept = Counter.builder("worker.uploads.swept").description("uploads deleted because no job reads them").register(metrics);
  }

  public void start(Duration interval) {
    timer = vertx.setPeriodic(interval.toMillis(), id -> sweep());
  }

  public void stop() {
    vertx.cancelTimer(timer);
  }

  /** One sweep (none while another runs); completes with how many uploads it deleted. */
  public Future<Integer> sweep() {
    if (!sweeping.compareAndSet(false, true)) {
      return Future.succeededFuture(0);
    }
    return vertx.executeBlocking(this::oldUploads, false)
        .compose(old -> old.isEmpty() ? Future.succeededFuture(0)
            : jobs.existing(old.keySet()).compose(known -> vertx.executeBlocking(() -> deleteUnknown(old, known), false)))
        .onSuccess(deleted -> {
          if (deleted > 0) {
            swept.increment(deleted);
            log.info("Deleted {} uploads older than {} that no job reads", deleted, orphanAge);
          }
        })
        .onFailure(failure -> log.warn("Cannot sweep the workspace's uploads now: {}", failure.toString()))
        .andThen(done -> sweeping.set(false));
  }

  /** Uploads (by the job id their name carries) last written before the orphan age. */
  private Map<UUID, Path> oldUploads() throws IOException {
    long before = System.currentTimeMillis() - orphanAge.toMillis();
    Map<UUID, Path> old = new HashMap<>();
    try (DirectoryStream<Path> uploads = Files.newDirectoryStream(workspace.uploads())) {
      for (Path upload : uploads) {
        if (old.size() >= BATCH) {
          break;
        }
        String name = upload.getFileName().toString();
        if (!Workspace.UPLOAD_NAME.matcher(name).matches()) {
          continue;
        }
        try {
          if (Files.getLastModifiedTime(upload).toMillis() < before) {
            old.put(UUID.fromString(name.substring(0, 36)), upload);
          }
        } catch (IllegalArgumentException | NoSuchFileException notAnUploadOrGone) {
          // a name of the right shape that is no UUID, or a file its job deleted meanwhile
        }
      }
    } catch (NoSuchFileException noUploadsYet) {
      return Map.of();
    }
    return old;
  }

  private int deleteUnknown(Map<UUID, Path> old, Set<UUID> known) throws IOException {
    int deleted = 0;
    for (Map.Entry<UUID, Path> upload : old.entrySet()) {
      if (!known.contains(upload.getKey()) && Files.deleteIfExists(upload.getValue())) {
        deleted++;
      }
    }
    return deleted;
  }
}
