package io.scaleout.worker;

import io.scaleout.common.runtime.ServiceRuntime;
import io.vertx.core.Future;

/**
 * {@code java -jar worker.jar}: Kafka jobs, retries and dead letters. For now the node answers its
 * ping on the event bus (registered by the runtime); the worker's own endpoints come with it.
 */
public final class WorkerMain {
  private WorkerMain() {
  }

  public static void main(String[] args) {
    ServiceRuntime.main("worker", context -> Future.succeededFuture());
  }
}
