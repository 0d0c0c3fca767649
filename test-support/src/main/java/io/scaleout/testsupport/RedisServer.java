package io.scaleout.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A private redis-server on a free loopback port, which a test may kill mid-run; optionally with a password. */
public final class RedisServer implements AutoCloseable {
  private final int port;
  private final String password;
  private Process process;

  private RedisServer(int port, String password) {
    this.port = port;
    this.password = password;
  }

  public static RedisServer start() {
    return startWithPassword("");
  }

  /** One that refuses every command but AUTH until a client authenticates with {@code password} (requirepass). */
  public static RedisServer startWithPassword(String password) {
    RedisServer server = new RedisServer(FreePorts.next(), password);
    server.launch();
    return server;
  }

  private void launch() {
    List<String> command = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no"));
    if (!password.isEmpty()) {
      command.addAll(List.of("--requirepass", password));
    }
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
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
