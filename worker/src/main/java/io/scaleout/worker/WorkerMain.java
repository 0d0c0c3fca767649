package io.scaleout.worker;

import io.scaleout.common.runtime.ServiceRuntime;

/** {@code java -jar worker.jar}: background work from Kafka (see {@link WorkerModule}). */
public final class WorkerMain {
  private WorkerMain() {
  }

  public static void main(String[] args) {
    ServiceRuntime.main("worker", WorkerModule::start);
  }
}
