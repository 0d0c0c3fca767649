package io.scaleout.catalog;

import io.scaleout.common.runtime.ServiceRuntime;

/** {@code java -jar catalog-service.jar}: products and categories. */
public final class CatalogMain {
  private CatalogMain() {
  }

  public static void main(String[] args) {
    ServiceRuntime.main("catalog", new CatalogModule()::start);
  }
}
