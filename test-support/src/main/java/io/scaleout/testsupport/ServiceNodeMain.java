package io.scaleout.testsupport;

import io.scaleout.common.config.NodeConfig;
import io.scaleout.common.runtime.ServiceRuntime;

/**
 * A service node for tests that need a separate JVM (signals, kill -9): the real
 * {@link ServiceRuntime} named TEST_SERVICE, plus a slow echo endpoint when TEST_SLOW_ADDRESS is set.
 */
public final class ServiceNodeMain {
  private ServiceNodeMain() {
  }

  public static void main(String[] args) {
    ServiceRuntime.launch("testnode", settings -> NodeConfig.from(settings.string("TEST_SERVICE"), settings), context -> {
      String slow = context.settings().optionalString("TEST_SLOW_ADDRESS");
      return slow.isEmpty()
          ? TestModules.none().start(context)
          : TestModules.slowEcho(slow, context.settings().millis("TEST_SLOW_MS", 0, 600_000).toMillis()).start(context);
    });
  }
}
