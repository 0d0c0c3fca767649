package io.scaleout.session;

import io.scaleout.common.runtime.ServiceRuntime;

/** {@code java -jar session-service.jar}: users, sessions and carts. */
public final class SessionMain {
  private SessionMain() {
  }

  public static void main(String[] args) {
    ServiceRuntime.main("session", SessionModule::start);
  }
}
