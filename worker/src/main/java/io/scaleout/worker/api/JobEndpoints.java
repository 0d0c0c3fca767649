package io.scaleout.worker.api;

import io.scaleout.common.api.ApiReply;
import io.scaleout.common.api.ApiRequest;
import io.scaleout.common.api.Caller;
import io.scaleout.common.bus.BusEndpoints;
import io.scaleout.common.bus.FailureCode;
import io.scaleout.common.bus.ServiceException;
import io.scaleout.common.worker.WorkerAddresses;
import io.scaleout.worker.job.Job;
import io.scaleout.worker.job.JobStore;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

import java.util.Optional;
import java.util.UUID;

/** The job records over the bus: GET /api/jobs/{id} for the job's owner or an administrator. */
public final class JobEndpoints {
  private final JobStore jobs;

  public JobEndpoints(JobStore jobs) {
    this.jobs = jobs;
  }

  public Future<Void> register(BusEndpoints endpoints) {
    return endpoints.register(WorkerAddresses.JOB_GET, this::get);
  }

  private Future<ApiReply> get(Message<JsonObject> message) {
    Caller caller = Caller.from(message.headers());
    if (!caller.authenticated()) {
      throw new ServiceException(FailureCode.UNAUTHORIZED, "Sign in to see your jobs");
    }
    UUID id = jobId(ApiRequest.fromJson(message.body()).pathParam("id"));
    return jobs.get(id).map(found -> visible(found, caller)
        .map(job -> ApiReply.ok(job.toJson()).cacheControl("private, no-store"))
        // someone else's job is not found, rather than forbidden: its existence is not told
        .orElseThrow(() -> new ServiceException(FailureCode.NOT_FOUND, "No job " + id)));
  }

  private static Optional<Job> visible(Optional<Job> job, Caller caller) {
    return job.filter(j -> caller.isAdmin() || j.owner().equals(caller.userId()));
  }

  private static UUID jobId(String id) {
    try {
      if (id != null && id.length() == 36) {
        return UUID.fromString(id);
      }
    } catch (IllegalArgumentException ignored) {
      // fall through to the field error
    }
    throw ServiceException.badField("id", "A job id is a UUID");
  }
}
