package io.scaleout.worker.thumbnail;

import io.scaleout.common.worker.Workspace;
import io.scaleout.worker.catalog.CatalogClient;
import io.scaleout.worker.job.Job;
import io.scaleout.worker.job.JobFailure;
import io.scaleout.worker.job.JobHandler;
import io.scaleout.worker.job.JobUpload;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A thumbnail job: the upload's scaled versions made on the image pool (bounded, never an event
 * loop), then set as the product's images through the catalog — which writes nothing when they
 * are its images already, so a job run twice changes the product once. The upload is deleted once
 * the job succeeded.
 */
public final class ThumbnailJob implements JobHandler {
  private final WorkerExecutor images;
  private final Workspace workspace;
  private final CatalogClient catalog;
  private final long memoryPerJob;

  /** {@code concurrentJobs}: how many jobs the image pool runs at once (they share the heap). */
  public ThumbnailJob(WorkerExecutor images, int concurrentJobs, Workspace workspace, CatalogClient catalog) {
    this.images = images;
    this.workspace = workspace;
    this.catalog = catalog;
    this.memoryPerJob = Thumbnails.memoryPerJob(concurrentJobs);
  }

  @Override
  public Future<JsonObject> run(Job job, Progress progress) {
    Long productId = job.payload().getLong("productId");
    if (productId == null) {
      return Future.failedFuture(new JobFailure("a thumbnail job names its product"));
    }
    Path upload = JobUpload.of(workspace, job);
    return images.executeBlocking(() -> Thumbnails.make(upload, workspace.files(), progress, memoryPerJob), false)
        .compose(names -> catalog.setImages(job, productId, new JsonArray(List.copyOf(names)))
            .map(product -> new JsonObject().put("productId", productId).put("images", new JsonArray(List.copyOf(names)))
                .put("version", product.getLong("version"))));
  }

  /** A redelivery finds the job finished and never reads the upload again. */
  @Override
  public Future<Void> cleanUp(Job job) {
    Path upload = JobUpload.of(workspace, job);
    return images.executeBlocking(() -> Files.deleteIfExists(upload), false).mapEmpty();
  }
}
