package io.scaleout.session;

import io.scaleout.common.runtime.ServiceRuntime;
import io.vertx.core.Future;

/**
 * {@code java -jar session-service.jar}: users, sessions and carts. For now the node answers its
 * ping on the event bus (registered by the runtime); the session's own endpoints come with it.
 */
public final class SessionMain {
  private SessionMain() {
  }

  public static void main(String[] args) {
    ServiceRuntime.main("session", context -> Future.succeededFuture());
  }
}
