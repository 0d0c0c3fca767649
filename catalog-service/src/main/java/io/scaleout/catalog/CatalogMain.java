package io.scaleout.catalog;

import io.scaleout.common.runtime.ServiceRuntime;
import io.vertx.core.Future;

/**
 * {@code java -jar catalog-service.jar}: products and categories. For now the node answers its
 * ping on the event bus (registered by the runtime); the catalog's own endpoints come with it.
 */
public final class CatalogMain {
  private CatalogMain() {
  }

  public static void main(String[] args) {
    ServiceRuntime.main("catalog", context -> Future.succeededFuture());
  }
}
