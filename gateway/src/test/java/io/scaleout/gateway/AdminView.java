package io.scaleout.gateway;

import io.scaleout.testsupport.HttpTestClient;
import io.scaleout.testsupport.SteadyLoad;
import io.scaleout.testsupport.Waiting;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What a gateway under test says of the cluster (its admin view), for the failover tests. */
final class AdminView {
  private final HttpTestClient gateway;

  AdminView(HttpTestClient gateway) {
    this.gateway = gateway;
  }

  /** The catalog instances this gateway sends to now. */
  List<String> inRotation() {
    JsonArray instances = cluster().getJsonObject("breakers").getJsonObject("this").getJsonObject("catalog")
        .getJsonArray("instances");
    return instances.stream().map(JsonObject.class::cast).filter(i -> "READY".equals(i.getString("state")))
        .map(i -> i.getString("instance")).toList();
  }

  void awaitInRotation(int count) {
    Waiting.until(count + " catalog instances in rotation", Duration.ofSeconds(10), () -> inRotation().size() == count);
  }

  int members() {
    return cluster().getJsonArray("members").size();
  }

  JsonObject cluster() {
    HttpTestClient.Response view = gateway.send(HttpMethod.GET, "/api/admin/cluster",
        HttpTestClient.headers("Authorization", "Bearer " + StandIns.ADMIN_TOKEN));
    assertThat(view.status()).as(view.body()).isEqualTo(200);
    return view.json();
  }

  static List<SteadyLoad.Outcome> failures(List<SteadyLoad.Outcome> outcomes) {
    return outcomes.stream().filter(o -> o.status() != 200).toList();
  }
}
