package io.scaleout.perf;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

import static io.gatling.javaapi.core.CoreDsl.ByteArrayBody;
import static io.gatling.javaapi.core.CoreDsl.asLongAsDuring;
import static io.gatling.javaapi.core.CoreDsl.feed;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * An administrator uploading product images at {@code rate}/s (open model): each upload is a
 * {@code size}×{@code size/2} PNG, answered 202 with a job id, then the job is followed through
 * GET /api/jobs/{id} until it succeeded (within {@code jobSeconds}). Its response times are the
 * upload's and the polls'; how long a job took shows as the group "until succeeded".
 */
public class Uploads extends Simulation {
  private final PerfSettings settings = new PerfSettings(2);
  private final int size = Integer.getInteger("size", 1600);
  private final int jobSeconds = Integer.getInteger("jobSeconds", 60);
  private final Seed seed = new Seed(settings);
  private final List<Long> products = seed.products(Math.min(settings.products, 50));
  private final String token = seed.adminToken();
  private final byte[] image = png(size, size / 2);

  private final HttpProtocolBuilder protocol = http.baseUrl(settings.baseUrl).acceptHeader("application/json")
      .authorizationHeader("Bearer " + token).shareConnections();

  /** @param group the name of the group timing a job until it succeeded */
  private ChainBuilder uploads(String group) {
    return feed(Stream.generate(() -> Map.<String, Object>of("id", products.get(ThreadLocalRandom.current().nextInt(products.size()))))
            .iterator())
        .exec(http("upload").post("/api/products/#{id}/image").header("Content-Type", "image/png").body(ByteArrayBody(image))
            .check(status().is(202), jsonPath("$.jobId").saveAs("jobId")))
        .exec(session -> session.set("status", "queued"))
        .group(group).on(
            asLongAsDuring(session -> !"succeeded".equals(session.getString("status")), Duration.ofSeconds(jobSeconds)).on(
                pause(Duration.ofMillis(200))
                    .exec(http("job").get("/api/jobs/#{jobId}")
                        .check(status().is(200), jsonPath("$.status").not("dead"), jsonPath("$.status").saveAs("status")))))
        .exec(http("job done").get("/api/jobs/#{jobId}").check(jsonPath("$.status").is("succeeded")));
  }

  private static byte[] png(int width, int height) {
    BufferedImage picture = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int x = 0; x < width; x++) {
      for (int y = 0; y < height; y++) {
        picture.setRGB(x, y, (x * 255 / width) << 16 | (y * 255 / height) << 8 | random.nextInt(32));
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(picture, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  {
    setUp(settings.warmedUp("uploads", uploads("warm-up until succeeded"), uploads("until succeeded"), settings.rate, protocol))
        .assertions(
            global().failedRequests().percent().lte(settings.maxErrorPercent),
            global().responseTime().percentile(99.0).lte(settings.p99Millis));
  }
}
