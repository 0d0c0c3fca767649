package io.scaleout.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A private redis-server on a free loopback port, which a test may kill mid-run. */
public final class RedisServer implements AutoCloseable {
  private final int port;
  private Process process;

  private RedisServer(int port) {
    this.port = port;
  }

  public static RedisServer start() {
    RedisServer server = new RedisServer(FreePorts.next());
    server.launch();
    return server;
  }

  private void launch() {
    try {
      process = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
          "--save", "", "--appendonly", "no").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException e) {
      throw new UncheckedIOException("redis-server did not start (is it installed?)", e);
    }
    Waiting.untilListening("redis-server", port, Duration.ofSeconds(10), process);
  }

  public int port() {
    return port;
  }

  public String url() {
    return "redis://127.0.0.1:" + port + "/0";
  }

  /** SIGKILL: Redis vanishes without a goodbye. */
  public void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Starts it again on the same port (empty: it keeps nothing). */
  public void restart() {
    kill();
    launch();
  }

  @Override
  public void close() {
    kill();
  }
}
