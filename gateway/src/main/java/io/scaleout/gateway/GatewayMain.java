package io.scaleout.gateway;

import io.scaleout.common.runtime.ServiceRuntime;

/** {@code java -jar gateway.jar}: the public HTTP tier. */
public final class GatewayMain {
  private GatewayMain() {
  }

  public static void main(String[] args) {
    ServiceRuntime.main("gateway", GatewayModule::start);
  }
}
