package io.scaleout.perf;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.feed;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * New shoppers end to end: register, sign in, browse, put a product in the cart, see it on the
 * storefront, take it out, sign out. Sign-up and sign-in wait for Argon2id hashing, so the
 * default rate is low (2 journeys/s; also under the default sign-in limit of 5/s per address).
 */
public class ShopperJourney extends Simulation {
  private static final String PASSWORD = "a perf journey password";
  private final PerfSettings settings = new PerfSettings(2);
  private final List<Long> ids = new Seed(settings).products(settings.products);

  private final HttpProtocolBuilder protocol = http.baseUrl(settings.baseUrl).acceptHeader("application/json").shareConnections();

  private final ChainBuilder journey = feed(Stream.generate(() -> Map.<String, Object>of(
          "email", "shopper-" + UUID.randomUUID() + "@example.org",
          "id", ids.get(ThreadLocalRandom.current().nextInt(ids.size())))).iterator())
      .exec(http("register").post("/api/users").asJson()
          .body(StringBody("{\"email\":\"#{email}\",\"password\":\"" + PASSWORD + "\",\"name\":\"Perf shopper\"}"))
          .check(status().is(201)))
      .exec(http("sign in").post("/api/sessions").asJson()
          .body(StringBody("{\"email\":\"#{email}\",\"password\":\"" + PASSWORD + "\"}"))
          .check(status().is(201), jsonPath("$.token").saveAs("token")))
      .exec(http("category page").get("/api/products?category=" + Seed.CATEGORY + "&limit=20").check(status().is(200)))
      .exec(http("product").get("/api/products/#{id}").check(status().is(200)))
      .exec(http("cart add").put("/api/cart/items/#{id}").header("Authorization", "Bearer #{token}").asJson()
          .body(StringBody("{\"quantity\":2}")).check(status().is(200)))
      .exec(http("storefront").get("/api/storefront").header("Authorization", "Bearer #{token}")
          .check(status().is(200), jsonPath("$.cart.count").ofInt().is(2)))
      .exec(http("cart remove").delete("/api/cart/items/#{id}").header("Authorization", "Bearer #{token}").check(status().is(200)))
      .exec(http("sign out").delete("/api/sessions/current").header("Authorization", "Bearer #{token}").check(status().is(204)));

  {
    setUp(settings.warmedUp("shopper", journey, settings.rate, protocol))
        .assertions(
            global().failedRequests().percent().lte(settings.maxErrorPercent),
            global().responseTime().percentile(99.0).lte(Integer.getInteger("p99Millis", 3000)));
  }
}
