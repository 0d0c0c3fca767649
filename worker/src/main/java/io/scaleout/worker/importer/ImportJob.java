package io.scaleout.worker.importer;

import io.scaleout.common.worker.Workspace;
import io.scaleout.worker.catalog.CatalogClient;
import io.scaleout.worker.job.Job;
import io.scaleout.worker.job.JobHandler;
import io.scaleout.worker.job.JobUpload;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * An import job: the upload read as a stream a batch at a time on the work pool, each batch's good
 * rows upserted by sku through the catalog before the next batch is read (so memory holds one
 * batch, whatever the file's size), progress reported as the file is read. Upserts by sku make a
 * rerun leave the same catalog. Ends with {imported, created, updated, unchanged, rejected:[{line,
 * reason}], rejectedCount}; at most {@link #MAX_REJECTS_LISTED} rejects are listed.
 */
public final class ImportJob implements JobHandler {
  static final int MAX_REJECTS_LISTED = 1000;

  private final WorkerExecutor work;
  private final Workspace workspace;
  private final CatalogClient catalog;
  private final int batchSize;

  public ImportJob(WorkerExecutor work, Workspace workspace, CatalogClient catalog, int batchSize) {
    this.work = work;
    this.workspace = workspace;
    this.catalog = catalog;
    this.batchSize = batchSize;
  }

  /** The counts of one import as it goes. */
  private static final class Tally {
    long created;
    long updated;
    long unchanged;
    long rejectedCount;
    final JsonArray rejected = new JsonArray();

    void reject(long line, String reason) {
      rejectedCount++;
      if (rejected.size() < MAX_REJECTS_LISTED) {
        rejected.add(new JsonObject().put("line", line).put("reason", reason));
      }
    }

    JsonObject toJson() {
      return new JsonObject().put("imported", created + updated + unchanged).put("created", created).put("updated", updated)
          .put("unchanged", unchanged).put("rejected", rejected).put("rejectedCount", rejectedCount);
    }
  }

  @Override
  public Future<JsonObject> run(Job job, Progress progress) {
    Path upload = JobUpload.of(workspace, job);
    String format = job.payload().getString("format", "");
    return work.executeBlocking(() -> new ImportReader(upload, format), false).compose(reader -> {
      Tally tally = new Tally();
      Promise<JsonObject> done = Promise.promise();
      nextBatch(job, reader, tally, progress, done);
      return done.future().eventually(() -> work.executeBlocking(() -> {
        reader.close();
        return null;
      }, false));
    });
  }

  private void nextBatch(Job job, ImportReader reader, Tally tally, Progress progress, Promise<JsonObject> done) {
    work.executeBlocking(() -> reader.next(batchSize), false)
        .compose(rows -> rows.isEmpty() ? Future.succeededFuture(false) : upsert(job, rows, tally).map(true))
        .onSuccess(more -> {
          if (more) {
            progress.report(reader.percentRead());
            nextBatch(job, reader, tally, progress, done);
          } else {
            done.complete(tally.toJson());
          }
        })
        .onFailure(done::fail);
  }

  /** Upserts the batch's good rows, then tallies every row of the batch in line order. */
  private Future<Void> upsert(Job job, List<ImportRow> rows, Tally tally) {
    List<ImportRow> good = rows.stream().filter(row -> row.product() != null).toList();
    JsonArray products = new JsonArray();
    good.forEach(row -> products.add(row.product()));
    Future<JsonArray> results = good.isEmpty() ? Future.succeededFuture(new JsonArray())
        : catalog.upsert(job, products).map(reply -> reply.getJsonArray("results"));
    return results.map(outcomes -> {
      int next = 0;
      for (ImportRow row : rows) {
        if (row.product() == null) {
          tally.reject(row.line(), row.reason());
          continue;
        }
        JsonObject result = outcomes.getJsonObject(next++);
        String outcome = result.getString("outcome");
        if (outcome == null) {
          tally.reject(row.line(), result.getString("error"));
        } else if (outcome.equals("created")) {
          tally.created++;
        } else if (outcome.equals("updated")) {
          tally.updated++;
        } else {
          tally.unchanged++;
        }
      }
      return null;
    });
  }

  @Override
  public Future<Void> cleanUp(Job job) {
    Path upload = JobUpload.of(workspace, job);
    return work.executeBlocking(() -> Files.deleteIfExists(upload), false).mapEmpty();
  }
}
