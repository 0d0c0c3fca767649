package io.scaleout.perf;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

import static io.gatling.javaapi.core.CoreDsl.feed;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * Anonymous shoppers browsing a warm catalog: a category page, a search, a product. Open model:
 * {@code rate} new shoppers per second for {@code duration} seconds (default 25/s: three requests
 * each stays under the default per-address rate limit of 100/s).
 */
public class BrowseCatalog extends Simulation {
  private final PerfSettings settings = new PerfSettings(25);
  private final List<Long> ids = new Seed(settings).products(settings.products);
  private final List<String> words = Seed.searchWords();

  private final HttpProtocolBuilder protocol = http.baseUrl(settings.baseUrl).acceptHeader("application/json").shareConnections();

  private final ChainBuilder browse = feed(Stream.generate(() -> Map.<String, Object>of(
          "id", ids.get(ThreadLocalRandom.current().nextInt(ids.size())),
          "word", words.get(ThreadLocalRandom.current().nextInt(words.size())))).iterator())
      .exec(http("category page").get("/api/products?category=" + Seed.CATEGORY + "&limit=20").check(status().is(200)))
      .exec(http("search").get("/api/products?q=#{word}&limit=10").check(status().is(200)))
      .exec(http("product").get("/api/products/#{id}").check(status().is(200), jsonPath("$.id").ofLong().isEL("#{id}")));

  {
    setUp(settings.warmedUp("browse", browse, settings.rate, protocol))
        .assertions(
            global().failedRequests().percent().lte(settings.maxErrorPercent),
            global().responseTime().percentile(99.0).lte(settings.p99Millis));
  }
}
