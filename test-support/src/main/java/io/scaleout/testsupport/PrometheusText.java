package io.scaleout.testsupport;

import io.vertx.core.Vertx;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/** A management port's GET /metrics, checked to be Prometheus text and read by metric and label. */
public final class PrometheusText {
  /** name{labels} value [timestamp] — the sample line of the Prometheus text format. */
  private static final Pattern SAMPLE = Pattern.compile(
      "[a-zA-Z_:][a-zA-Z0-9_:]*(\\{([a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\]|\\\\.)*\",?)*\\})? [-+0-9.eEInfNa]+( [0-9]+)?");

  private final List<String> lines;

  private PrometheusText(List<String> lines) {
    this.lines = lines;
  }

  /** Scrapes the port; fails unless it answers 200 text/plain whose every sample line parses. */
  public static PrometheusText scrape(Vertx vertx, int managementPort) {
    HttpTestClient.Response response = new HttpTestClient(vertx, managementPort).get("/metrics");
    if (response.status() != 200 || !response.headers().get("Content-Type").startsWith("text/plain")) {
      throw new AssertionError("GET /metrics answered " + response.status() + " " + response.headers().get("Content-Type"));
    }
    List<String> lines = Arrays.asList(response.body().split("\n"));
    for (String line : lines) {
      if (!line.isEmpty() && !line.startsWith("#") && !SAMPLE.matcher(line).matches()) {
        throw new AssertionError("Not a Prometheus sample line: " + line);
      }
    }
    return new PrometheusText(lines);
  }

  public List<String> lines() {
    return lines;
  }

  /** The sum of the samples of {@code name} whose labels contain {@code label} (e.g. {@code result="hit"}). */
  public double value(String name, String label) {
    return lines.stream().filter(line -> line.startsWith(name + "{") && line.contains(label))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
  }
}
