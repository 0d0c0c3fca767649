package io.scaleout.perf.bench;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;

/**
 * An open-model load generator for the latency comparison of {@code perf/bench.sh}: requests leave
 * on a fixed schedule (RATE per second) whatever the answers do, over at most CONNECTIONS
 * keep-alive connections, and each latency is measured from the request's scheduled time, so a
 * request held up behind slow ones (or waiting for a free connection) counts its wait: no
 * coordinated omission. Two threads over non-blocking sockets, so that the generator takes little
 * of the cores it shares with what it measures (the Vert.x HTTP client it replaces took about three
 * times the CPU): a sender that sleeps until each request's time (waking at most every
 * {@link #BATCH_NANOS}) and writes a pre-encoded request on a free connection, and a reader that
 * blocks in the selector until answers arrive.
 * A {@code {n}} in the URL is replaced by each request's number.
 * Usage: {@code ConstantRate URL RATE SECONDS [CONNECTIONS] [WARMUP_SECONDS] [TIMELINE_CSV]}; prints one line
 * {@code sent=.. ok=.. failed=.. p50_ms=.. p99_ms=.. p999_ms=.. max_ms=.. cpu_s=..}, and with
 * TIMELINE_CSV writes one line per second of the measured run (by scheduled time):
 * {@code second,ok,failed,p50_ms,p99_ms} (the chaos suite's timeline), and beside it
 * TIMELINE_CSV.requests with one line per request, {@code at_ms,latency_ms,status} (at: its scheduled
 * time from the start of the measured run), for percentiles over any stretch of it, and
 * TIMELINE_CSV.start with the wall-clock time (epoch ms) at which the measured run began.
 */
public final class ConstantRate {
  private static final long BATCH_NANOS = TimeUnit.MICROSECONDS.toNanos(500);
  private static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(15);
  /** In the URL, replaced by the request's number: requests no cache has seen (the chaos suite's reads). */
  static final String EACH = "{n}";
  /** {@link #EACH} as it reads in a parsed URI. */
  private static final String EACH_ENCODED = "%7Bn%7D";

  private final double rate;
  private final long start;
  private final long warmupEnd;
  private final long total;
  /** The one request sent every time, or null when each request has its own ({@link #EACH} in the URL). */
  private final ByteBuffer request;
  private final String requestHead;
  private final String requestTail;
  private final Selector selector;
  private final List<GeneratorConnection> connections = new ArrayList<>();
  private final BlockingQueue<GeneratorConnection> free;
  /** Connections whose write failed, for the reader to open anew (it owns the selector). */
  private final ConcurrentLinkedQueue<GeneratorConnection> broken = new ConcurrentLinkedQueue<>();
  /** Written by the reader only; read by main once the reader has stopped. */
  private final Histogram latencies = new Histogram(TimeUnit.SECONDS.toNanos(30), 3);
  /** The same per second of the measured run, and the failures of each second. */
  private final Histogram[] perSecond;
  private final long[] failedPerSecond;
  /** Every measured request when a timeline is asked for: scheduled offset (ns), latency (ns), status. */
  private final StringBuilder requests;
  private final AtomicLong failed = new AtomicLong();
  private long sent;
  private long ok;
  private volatile boolean stopped;

  private ConstantRate(URI url, double rate, int seconds, int connectionCount, int warmupSeconds, boolean keepRequests)
      throws IOException {
    this.requests = keepRequests ? new StringBuilder() : null;
    this.rate = rate;
    String target = url.getRawPath() + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
    String[] around = target.split(Pattern.quote(EACH_ENCODED), 2);
    this.requestHead = "GET " + around[0];
    this.requestTail = (around.length > 1 ? around[1] : "") + " HTTP/1.1\r\nHost: " + url.getHost() + ":" + url.getPort()
        + "\r\n\r\n";
    byte[] bytes = (around.length > 1 ? "" : requestHead + requestTail).getBytes(StandardCharsets.ISO_8859_1);
    this.request = around.length > 1 ? null : ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
    this.selector = Selector.open();
    this.free = new ArrayBlockingQueue<>(connectionCount);
    InetSocketAddress address = new InetSocketAddress(url.getHost(), url.getPort());
    for (int i = 0; i < connectionCount; i++) {
      GeneratorConnection connection = new GeneratorConnection(address, selector);
      connections.add(connection);
      free.add(connection);
    }
    this.start = System.nanoTime();
    this.warmupEnd = start + TimeUnit.SECONDS.toNanos(warmupSeconds);
    this.total = (long) Math.ceil((warmupSeconds + seconds) * rate);
    this.perSecond = new Histogram[seconds + 1];
    this.failedPerSecond = new long[seconds + 1];
    for (int i = 0; i < perSecond.length; i++) {
      perSecond[i] = new Histogram(TimeUnit.SECONDS.toNanos(30), 2);
    }
  }

  public static void main(String[] args) throws IOException, InterruptedException {
    URI url = URI.create(args[0].replace(EACH, EACH_ENCODED));
    double rate = Double.parseDouble(args[1]);
    int seconds = Integer.parseInt(args[2]);
    int connections = args.length > 3 ? Integer.parseInt(args[3]) : 64;
    int warmup = args.length > 4 ? Integer.parseInt(args[4]) : 5;
    long cpuBefore = processCpuNanos();
    ConstantRate generator = new ConstantRate(url, rate, seconds, connections, warmup, args.length > 5);
    Thread reader = new Thread(generator::readUntilStopped, "reader");
    reader.start();
    generator.sendOnSchedule();
    generator.drain();
    reader.join();
    Histogram latencies = generator.latencies;
    System.out.printf("sent=%d ok=%d failed=%d p50_ms=%.2f p99_ms=%.2f p999_ms=%.2f max_ms=%.2f cpu_s=%.1f%n",
        generator.sent, generator.ok, generator.failed.get(), ms(latencies.getValueAtPercentile(50)),
        ms(latencies.getValueAtPercentile(99)), ms(latencies.getValueAtPercentile(99.9)), ms(latencies.getMaxValue()),
        (processCpuNanos() - cpuBefore) / 1e9);
    if (args.length > 5) {
      generator.writeTimeline(Path.of(args[5]), seconds);
    }
  }

  private void writeTimeline(Path file, int seconds) throws IOException {
    StringBuilder csv = new StringBuilder("second,ok,failed,p50_ms,p99_ms\n");
    for (int second = 0; second < seconds; second++) {
      Histogram h = perSecond[second];
      csv.append(String.format(Locale.ROOT, "%d,%d,%d,%.2f,%.2f%n", second, h.getTotalCount(), failedPerSecond[second],
          ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(99))));
    }
    Files.writeString(file, csv);
    Files.writeString(Path.of(file + ".requests"), "at_ms,latency_ms,status\n" + requests);
    long startEpochMillis = System.currentTimeMillis() - (System.nanoTime() - warmupEnd) / 1_000_000;
    Files.writeString(Path.of(file + ".start"), startEpochMillis + "\n");
  }

  /**
   * The sender: each request at its time on the next free connection, waiting for one if none is
   * (at most {@link #DRAIN_NANOS}).
   * It sleeps until the next request is due but wakes at most once per {@link #BATCH_NANOS}:
   * every wake-up is a context switch, which on a virtual machine costs tens of microseconds, so
   * at high rates the requests that fell due while it slept leave together, and their latency
   * counts from that wake-up (the generator's own batching is not the server's latency). Any
   * other delay, a wait for a free connection or a sender fallen behind, counts from the
   * scheduled time.
   */
  private void sendOnSchedule() throws InterruptedException {
    long asleep = System.nanoTime();
    long wake = asleep;
    for (long index = 0; index < total; index++) {
      long intended = start + (long) (index * 1e9 / rate);
      long now = System.nanoTime();
      if (intended > now) {
        asleep = now;
        long until = Math.max(intended, wake + BATCH_NANOS);
        for (long wait = until - now; wait > 0; wait = until - System.nanoTime()) {
          LockSupport.parkNanos(wait);
        }
        wake = System.nanoTime();
      }
      long measuredFrom = intended > asleep && intended <= wake ? wake : intended;
      GeneratorConnection connection = free.poll(DRAIN_NANOS, TimeUnit.NANOSECONDS);
      if (connection == null) {
        // no answer on any connection for that long: the server hangs, the rest of the run fails
        failed.addAndGet(total - index);
        return;
      }
      if (measuredFrom >= warmupEnd) {
        sent++;
      }
      try {
        connection.send(request != null ? request : numbered(index), measuredFrom);
      } catch (IOException e) {
        answered(measuredFrom, -1);
        broken.add(connection);
        selector.wakeup();
      }
    }
  }

  private ByteBuffer numbered(long index) {
    return ByteBuffer.wrap((requestHead + index + requestTail).getBytes(StandardCharsets.ISO_8859_1));
  }

  /** Waits until every connection is free again, at most {@link #DRAIN_NANOS}; what is still out has failed. */
  private void drain() throws InterruptedException {
    long deadline = System.nanoTime() + DRAIN_NANOS;
    while (free.size() < connections.size() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    stopped = true;
    selector.wakeup();
  }

  /** The reader: complete answers are measured and their connections freed; failed ones opened anew. */
  private void readUntilStopped() {
    try {
      while (!stopped) {
        selector.select();
        for (GeneratorConnection connection; (connection = broken.poll()) != null; ) {
          connection.reopen();
          free.add(connection);
        }
        Iterator<SelectionKey> ready = selector.selectedKeys().iterator();
        while (ready.hasNext()) {
          GeneratorConnection connection = (GeneratorConnection) ready.next().attachment();
          ready.remove();
          read(connection);
        }
      }
      failed.addAndGet(connections.stream().filter(connection -> connection.measuredFrom >= warmupEnd).count());
      for (GeneratorConnection connection : connections) {
        connection.close();
      }
    } catch (IOException e) {
      throw new IllegalStateException("the generator's selector failed", e);
    }
  }

  private void read(GeneratorConnection connection) throws IOException {
    long measuredFrom = connection.measuredFrom;
    try {
      int status = connection.read();
      if (status > 0) {
        answered(measuredFrom, status);
        free.add(connection);
      }
    } catch (IOException | RuntimeException e) {
      connection.reopen();
      if (measuredFrom >= 0) {
        answered(measuredFrom, -1);
        free.add(connection);
      }
    }
  }

  private void answered(long measuredFrom, int status) {
    if (measuredFrom < warmupEnd) {
      return;
    }
    int second = (int) Math.min(perSecond.length - 1, (measuredFrom - warmupEnd) / 1_000_000_000L);
    long latency = Math.min(latencies.getHighestTrackableValue(), System.nanoTime() - measuredFrom);
    if (requests != null) {
      requests.append(String.format(Locale.ROOT, "%.1f,%.2f,%d%n", ms(measuredFrom - warmupEnd), ms(latency), status));
    }
    if (status >= 200 && status < 300) {
      ok++;
      latencies.recordValue(latency);
      perSecond[second].recordValue(latency);
    } else {
      failed.incrementAndGet();
      failedPerSecond[second]++;
    }
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }
}
