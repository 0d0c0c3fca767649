package io.scaleout.testsupport;

import io.scaleout.common.runtime.ServiceRuntime;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;

/** Service modules for test nodes. */
public final class TestModules {
  private TestModules() {
  }

  /** Nothing beyond what every node has (its ping endpoint). */
  public static ServiceRuntime.Module none() {
    return context -> Future.succeededFuture();
  }

  /**
   * An endpoint that answers after {@code delayMillis} with the answering instance and the number of
   * the request, to test draining and routing.
   */
  public static ServiceRuntime.Module slowEcho(String address, long delayMillis) {
    return context -> context.endpoints().register(address, message -> {
      Promise<JsonObject> reply = Promise.promise();
      context.vertx().setTimer(Math.max(1, delayMillis), id -> reply.complete(new JsonObject()
          .put("instance", context.node().instanceId())
          .put("echo", message.body())));
      return reply.future();
    });
  }
}
