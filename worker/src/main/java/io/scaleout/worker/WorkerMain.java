package io.scaleout.worker;

import io.scaleout.common.runtime.ServiceRuntime;

/** {@code java -jar worker.jar}: background work from Kafka (see {@link WorkerModule}). */
public final class WorkerMain {
  private WorkerMain() {
  }

  public static void main(String[] args) {
    // thumbnails are drawn with Java 2D, which must never look for a display
    System.setProperty("java.awt.headless", "true");
    ServiceRuntime.main("worker", WorkerModule::start);
  }
}
