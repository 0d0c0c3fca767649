package io.scaleout.worker.job;

import io.scaleout.common.worker.WorkerAddresses;
import io.vertx.core.eventbus.EventBus;

/** Tells the cluster about every change of a job (each gateway streams it to the job's owner). */
public final class JobEvents {
  private final EventBus bus;

  public JobEvents(EventBus bus) {
    this.bus = bus;
  }

  public void changed(Job job) {
    bus.publish(WorkerAddresses.JOB_EVENTS, job.toEvent().toJson());
  }
}
