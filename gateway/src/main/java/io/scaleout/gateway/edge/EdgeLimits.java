package io.scaleout.gateway.edge;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** The gateway-wide budgets every HTTP verticle instance draws on: open connections and JSON body bytes in memory. */
public final class EdgeLimits {
  private final EdgeConfig config;
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicLong bodyBytes = new AtomicLong();
  private final Counter refusedConnections;
  private final Counter refusedBodies;
  private final Counter headerTimeouts;
  private final Counter bodyTimeouts;

  public EdgeLimits(EdgeConfig config, MeterRegistry metrics) {
    this.config = config;
    Gauge.builder("gateway.http.connections", connections, AtomicInteger::get)
        .description("open connections to the public port").register(metrics);
    Gauge.builder("gateway.http.body.buffered", bodyBytes, AtomicLong::get).baseUnit("bytes")
        .description("bytes reserved for JSON bodies being read").register(metrics);
    refusedConnections = refusal(metrics, "connection");
    refusedBodies = refusal(metrics, "body-buffer");
    headerTimeouts = timeout(metrics, "headers");
    bodyTimeouts = timeout(metrics, "body");
  }

  public EdgeConfig config() {
    return config;
  }

  /** Counts a new connection in; false (and counted as refused) when the gateway holds its most already. */
  boolean openConnection() {
    if (connections.incrementAndGet() > config.maxConnections()) {
      connections.decrementAndGet();
      refusedConnections.increment();
      return false;
    }
    return true;
  }

  void closeConnection() {
    connections.decrementAndGet();
  }

  /** Reserves room for a body of {@code bytes}; false (and counted) when it does not fit now. */
  public boolean reserveBody(long bytes) {
    long after = bodyBytes.addAndGet(bytes);
    if (after > config.bodyBuffer()) {
      bodyBytes.addAndGet(-bytes);
      refusedBodies.increment();
      return false;
    }
    return true;
  }

  public void releaseBody(long bytes) {
    bodyBytes.addAndGet(-bytes);
  }

  void headersTimedOut() {
    headerTimeouts.increment();
  }

  void bodyTimedOut() {
    bodyTimeouts.increment();
  }

  private static Counter refusal(MeterRegistry metrics, String what) {
    return Counter.builder("gateway.http.refused").tag("limit", what)
        .description("connections closed and bodies refused for want of room").register(metrics);
  }

  private static Counter timeout(MeterRegistry metrics, String what) {
    return Counter.builder("gateway.http.timeouts").tag("waiting", what)
        .description("connections closed because a client sent too slowly").register(metrics);
  }
}
