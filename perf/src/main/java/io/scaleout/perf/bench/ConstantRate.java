package io.scaleout.perf.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import org.HdrHistogram.Histogram;

import java.net.URI;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An open-model load generator for the latency comparison of {@code perf/bench.sh}: requests leave
 * on a fixed schedule (RATE per second) whatever the answers do, over at most CONNECTIONS
 * keep-alive connections, and each latency is measured from the request's scheduled time, so a
 * request held up behind slow ones counts its wait (no coordinated omission). One event loop,
 * far lighter than Gatling on the same cores. Usage:
 * {@code ConstantRate URL RATE SECONDS [CONNECTIONS] [WARMUP_SECONDS]}; prints one line
 * {@code sent=.. ok=.. failed=.. p50_ms=.. p99_ms=.. p999_ms=.. max_ms=..}.
 */
public final class ConstantRate {
  private static final long TICK_MS = 1;

  private ConstantRate() {
  }

  public static void main(String[] args) throws InterruptedException {
    URI url = URI.create(args[0]);
    double rate = Double.parseDouble(args[1]);
    int seconds = Integer.parseInt(args[2]);
    int connections = args.length > 3 ? Integer.parseInt(args[3]) : 64;
    int warmup = args.length > 4 ? Integer.parseInt(args[4]) : 5;

    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setPreferNativeTransport(true));
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
        .setConnectTimeout(5_000).setIdleTimeout(0), new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
    RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET).setHost(url.getHost()).setPort(url.getPort())
        .setURI(url.getRawPath() + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery())).setTimeout(10_000);

    Histogram latencies = new Histogram(TimeUnit.SECONDS.toNanos(30), 3);
    AtomicLong ok = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    AtomicLong sent = new AtomicLong();
    long warmupNanos = TimeUnit.SECONDS.toNanos(warmup);
    long runNanos = warmupNanos + TimeUnit.SECONDS.toNanos(seconds);
    long start = System.nanoTime();
    CountDownLatch done = new CountDownLatch(1);
    AtomicLong scheduled = new AtomicLong();
    AtomicLong outstanding = new AtomicLong();

    vertx.setPeriodic(TICK_MS, timer -> {
      long elapsed = System.nanoTime() - start;
      if (elapsed >= runNanos) {
        vertx.cancelTimer(timer);
        if (outstanding.get() == 0) {
          done.countDown();
        }
        return;
      }
      long due = (long) (elapsed / 1e9 * rate);
      for (long i = scheduled.get(); i < due; i++) {
        long intended = start + (long) (i / rate * 1e9);
        boolean measured = intended - start >= warmupNanos;
        outstanding.incrementAndGet();
        if (measured) {
          sent.incrementAndGet();
        }
        client.request(request).compose(r -> r.send().compose(HttpClientResponse::body).map(body -> r))
            .onComplete(ar -> {
              if (measured) {
                if (ar.succeeded()) {
                  ok.incrementAndGet();
                  latencies.recordValue(Math.min(latencies.getHighestTrackableValue(), System.nanoTime() - intended));
                } else {
                  failed.incrementAndGet();
                }
              }
              if (outstanding.decrementAndGet() == 0 && System.nanoTime() - start >= runNanos) {
                done.countDown();
              }
            });
      }
      scheduled.set(Math.max(scheduled.get(), due));
    });
    done.await(runNanos + TimeUnit.SECONDS.toNanos(15), TimeUnit.NANOSECONDS);
    System.out.printf("sent=%d ok=%d failed=%d p50_ms=%.2f p99_ms=%.2f p999_ms=%.2f max_ms=%.2f%n", sent.get(), ok.get(),
        failed.get(), ms(latencies.getValueAtPercentile(50)), ms(latencies.getValueAtPercentile(99)),
        ms(latencies.getValueAtPercentile(99.9)), ms(latencies.getMaxValue()));
    System.exit(0);
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }
}
