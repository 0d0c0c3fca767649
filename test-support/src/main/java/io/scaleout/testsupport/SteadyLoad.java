package io.scaleout.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * A closed-model load for failure tests: a few client threads each sending one GET after another
 * (no retries of its own) until stopped, every request's start, duration and status recorded, so a
 * test can assert what happened before, during and after the failure it causes.
 */
public final class SteadyLoad implements AutoCloseable {
  /** One request: when it started (ms since the load began), how long it took, and its status (-1: no answer). */
  public record Outcome(long startMillis, long millis, int status) {
  }

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicLong sequence = new AtomicLong();
  private final List<Thread> clients = new ArrayList<>();
  private final long begin = System.nanoTime();

  /** {@code clients} threads asking {@code uri.apply(n)} for the n-th request; each request times out after {@code timeout}. */
  public SteadyLoad(int clients, Duration timeout, LongFunction<URI> uri) {
    for (int i = 0; i < clients; i++) {
      Thread client = new Thread(() -> run(timeout, uri), "steady-load-" + i);
      client.setDaemon(true);
      this.clients.add(client);
      client.start();
    }
  }

  /** Milliseconds since the load began, on the clock of {@link Outcome#startMillis()}. */
  public long now() {
    return (System.nanoTime() - begin) / 1_000_000;
  }

  private void run(Duration timeout, LongFunction<URI> uri) {
    while (running.get()) {
      long start = System.nanoTime();
      int status;
      try {
        HttpRequest request = HttpRequest.newBuilder(uri.apply(sequence.incrementAndGet())).timeout(timeout).build();
        status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      } catch (IOException e) {
        status = -1;
      } catch (InterruptedException e) {
        return;
      }
      long end = System.nanoTime();
      outcomes.add(new Outcome((start - begin) / 1_000_000, (end - start) / 1_000_000, status));
    }
  }

  /** Stops the clients (each finishes its request in flight) and returns every outcome. */
  public List<Outcome> stop() {
    running.set(false);
    clients.forEach(client -> {
      try {
        client.join(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    return List.copyOf(outcomes);
  }

  public List<Outcome> outcomesSoFar() {
    return List.copyOf(outcomes);
  }

  /** The 99th percentile duration (ms) of the requests that started in [from, to). */
  public static long p99(List<Outcome> outcomes, long from, long to) {
    long[] durations = outcomes.stream().filter(o -> o.startMillis() >= from && o.startMillis() < to)
        .mapToLong(Outcome::millis).sorted().toArray();
    return durations.length == 0 ? 0 : durations[Math.min(durations.length - 1, (int) Math.ceil(durations.length * 0.99) - 1)];
  }

  @Override
  public void close() {
    stop();
  }
}
