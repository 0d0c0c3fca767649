package io.scaleout.common.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.scaleout.common.cluster.InstanceAnnouncement;
import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * What one instance tells the operations view when asked on {@link #address} (every instance
 * answers on its own instance address): its state and its service's own figures, read from its
 * meter registry at that moment. Counters are totals since the instance started, so a reader
 * makes rates from two snapshots; a timer with buckets gives its count, its sum in ms and the
 * count of every bucket ({@code NAME{tags}.le.MS}), so latency percentiles can be made over any
 * interval and over many instances.
 *
 * @param figures meter name with its tags ({@code worker.jobs{kind=thumbnail,result=succeeded}}) → value
 */
public record OpsSnapshot(String service, String instance, InstanceAnnouncement.State state, long uptimeMs,
                          Map<String, Double> figures) {

  /** Request-reply, per instance ({@code catalog.ops@catalog-1}): answers an {@link OpsSnapshot}. */
  public static String address(String service) {
    return service + ".ops";
  }

  /** The figures of the meters named {@code SERVICE.*} (the service's own, not the JVM's or Vert.x's). */
  public static OpsSnapshot of(String service, String instance, InstanceAnnouncement.State state, long uptimeMs,
                               MeterRegistry registry) {
    Map<String, Double> figures = new TreeMap<>();
    String prefix = service + ".";
    for (Meter meter : registry.getMeters()) {
      String name = meter.getId().getName();
      if (!name.startsWith(prefix)) {
        continue;
      }
      String key = name + tags(meter);
      if (meter instanceof Counter counter) {
        figures.put(key, counter.count());
      } else if (meter instanceof FunctionCounter counter) {
        figures.put(key, counter.count());
      } else if (meter instanceof Gauge gauge) {
        figures.put(key, gauge.value());
      } else if (meter instanceof Timer timer) {
        HistogramSnapshot histogram = timer.takeSnapshot();
        figures.put(key + ".count", (double) histogram.count());
        figures.put(key + ".sumMs", histogram.total(TimeUnit.MILLISECONDS));
        for (CountAtBucket bucket : histogram.histogramCounts()) {
          figures.put(key + ".le." + Math.round(bucket.bucket(TimeUnit.MILLISECONDS)), bucket.count());
        }
      }
    }
    return new OpsSnapshot(service, instance, state, uptimeMs, figures);
  }

  private static String tags(Meter meter) {
    String tags = meter.getId().getTags().stream()
        .filter(tag -> !tag.getKey().equals("service") && !tag.getKey().equals("instance"))
        .map(tag -> tag.getKey() + "=" + tag.getValue())
        .collect(Collectors.joining(","));
    return tags.isEmpty() ? "" : "{" + tags + "}";
  }

  public JsonObject toJson() {
    JsonObject values = new JsonObject();
    figures.forEach(values::put);
    return new JsonObject().put("service", service).put("instance", instance).put("state", state.name())
        .put("uptimeMs", uptimeMs).put("figures", values);
  }

  public static OpsSnapshot fromJson(JsonObject json) {
    Map<String, Double> figures = new TreeMap<>();
    JsonObject values = json.getJsonObject("figures", new JsonObject());
    for (String name : values.fieldNames()) {
      Object value = values.getValue(name);
      if (value instanceof Number number) {
        figures.put(name, number.doubleValue());
      }
    }
    String state = json.getString("state");
    if (json.getString("service") == null || json.getString("instance") == null || state == null) {
      throw new IllegalArgumentException("an ops snapshot needs service, instance and state: " + json.fieldNames());
    }
    return new OpsSnapshot(json.getString("service"), json.getString("instance"), InstanceAnnouncement.State.valueOf(state),
        json.getLong("uptimeMs", 0L), figures);
  }
}
