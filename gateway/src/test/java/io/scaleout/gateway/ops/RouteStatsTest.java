package io.scaleout.gateway.ops;

import io.scaleout.gateway.ops.RouteStats.RouteClass;
import org.junit.jupiter.api.Test;

import static io.vertx.core.http.HttpMethod.DELETE;
import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.POST;
import static io.vertx.core.http.HttpMethod.PUT;
import static org.assertj.core.api.Assertions.assertThat;

class RouteStatsTest {

  @Test
  void everyPublicRouteFallsInTheClassTheDashboardShowsItUnder() {
    assertThat(RouteStats.classify(GET, "/api/products")).isEqualTo(RouteClass.CATALOG_READ);
    assertThat(RouteStats.classify(GET, "/api/products/12")).isEqualTo(RouteClass.CATALOG_READ);
    assertThat(RouteStats.classify(GET, "/api/categories")).isEqualTo(RouteClass.CATALOG_READ);
    assertThat(RouteStats.classify(GET, "/api/catalog/facets")).isEqualTo(RouteClass.CATALOG_READ);
    assertThat(RouteStats.classify(GET, "/api/storefront")).isEqualTo(RouteClass.CATALOG_READ);
    assertThat(RouteStats.classify(POST, "/api/products")).isEqualTo(RouteClass.CATALOG_WRITE);
    assertThat(RouteStats.classify(PUT, "/api/products/12")).isEqualTo(RouteClass.CATALOG_WRITE);
    assertThat(RouteStats.classify(DELETE, "/api/products/12")).isEqualTo(RouteClass.CATALOG_WRITE);
    assertThat(RouteStats.classify(POST, "/api/products/12/image")).isEqualTo(RouteClass.JOBS);
    assertThat(RouteStats.classify(POST, "/api/imports")).isEqualTo(RouteClass.JOBS);
    assertThat(RouteStats.classify(GET, "/api/jobs/0")).isEqualTo(RouteClass.JOBS);
    assertThat(RouteStats.classify(POST, "/api/admin/dlq/3/replay")).isEqualTo(RouteClass.JOBS);
    assertThat(RouteStats.classify(POST, "/api/users")).isEqualTo(RouteClass.ACCOUNT);
    assertThat(RouteStats.classify(DELETE, "/api/sessions/current")).isEqualTo(RouteClass.ACCOUNT);
    assertThat(RouteStats.classify(PUT, "/api/cart/items/4")).isEqualTo(RouteClass.CART);
    assertThat(RouteStats.classify(GET, "/api/events")).isEqualTo(RouteClass.EVENTS);
    assertThat(RouteStats.classify(GET, "/api/ping")).isEqualTo(RouteClass.OTHER);
    assertThat(RouteStats.classify(GET, "/api/admin/ops")).isEqualTo(RouteClass.OTHER);
    assertThat(RouteStats.classify(GET, "/")).isEqualTo(RouteClass.WEB);
    assertThat(RouteStats.classify(GET, "/assets/app.0123456789.js")).isEqualTo(RouteClass.WEB);
    assertThat(RouteStats.classify(GET, "/files/abc-64.png")).isEqualTo(RouteClass.WEB);
  }
}
