package io.scaleout.gateway.cache;

import io.scaleout.common.catalog.ChangeNotice;
import io.vertx.ext.web.RoutingContext;

import java.util.List;

/**
 * What cached catalog replies depend on: a product reply on that product, lists, searches and
 * categories on every product (any change may move an item in or out of them).
 */
public final class CatalogTags {
  private static final String LISTS = "catalog:lists";

  private CatalogTags() {
  }

  public static List<String> lists(RoutingContext ctx) {
    return List.of(LISTS);
  }

  public static List<String> product(RoutingContext ctx) {
    return List.of(productTag(ctx.pathParam("id")));
  }

  public static List<String> productAndLists(RoutingContext ctx) {
    return List.of(productTag(ctx.pathParam("id")), LISTS);
  }

  /** What a change notice from the catalog makes stale. */
  public static List<String> changed(ChangeNotice notice) {
    return List.of(productTag(Long.toString(notice.productId())), LISTS);
  }

  private static String productTag(String id) {
    return "catalog:product:" + id;
  }
}
