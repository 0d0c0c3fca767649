package io.scaleout.perf;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.vertx.core.json.JsonObject;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.bodyString;
import static io.gatling.javaapi.core.CoreDsl.feed;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * An administrator updating products while shoppers read them: readers at {@code rate}/s on a
 * few hot products (the caches are warm), the writer at {@code writeRate}/s. After each update
 * the writer reads the product back through the gateway and must see the new version at once:
 * the caches were invalidated, not waited out.
 */
public class AdminWrites extends Simulation {
  private final PerfSettings settings = new PerfSettings(25);
  private final double writeRate = Double.parseDouble(System.getProperty("writeRate", "2"));
  private final Seed seed = new Seed(settings);
  private final List<Long> hot = seed.products(Math.min(settings.products, 20));
  private final String token = seed.adminToken();

  private final HttpProtocolBuilder protocol = http.baseUrl(settings.baseUrl).acceptHeader("application/json").shareConnections();

  private Iterator<Map<String, Object>> hotProducts() {
    return Stream.generate(() -> Map.<String, Object>of("id", hot.get(ThreadLocalRandom.current().nextInt(hot.size())))).iterator();
  }

  private final ChainBuilder readers = feed(hotProducts())
      .exec(http("read").get("/api/products/#{id}").check(status().is(200)));

  /** The writer takes the hot products in turn, so that two updates of one product never overlap. */
  private final AtomicInteger nextWrite = new AtomicInteger();

  private final ChainBuilder writer = feed(Stream.generate(() -> Map.<String, Object>of("id", hot.get(Math.floorMod(nextWrite.getAndIncrement(), hot.size())))).iterator())
      .exec(http("read before write").get("/api/products/#{id}")
          .check(status().is(200), header("ETag").saveAs("etag"), bodyString().saveAs("product")))
      .exec(session -> {
        JsonObject product = new JsonObject(session.getString("product"));
        return session.set("update", product.put("name", "Perf product " + product.getLong("id") + " v" + (product.getLong("version") + 1)).encode());
      })
      .exec(http("update").put("/api/products/#{id}").asJson()
          .header("Authorization", "Bearer " + token).header("If-Match", "#{etag}")
          .body(StringBody("#{update}"))
          .check(status().is(200), jsonPath("$.version").ofLong().saveAs("written")))
      .exec(http("read after write").get("/api/products/#{id}")
          .check(status().is(200), jsonPath("$.version").ofLong().isEL("#{written}")));

  {
    setUp(
        settings.warmedUp("readers", readers, settings.rate, protocol),
        settings.warmedUp("writer", writer, writeRate, protocol))
        .assertions(
            global().failedRequests().percent().lte(settings.maxErrorPercent),
            global().responseTime().percentile(99.0).lte(settings.p99Millis));
  }
}
