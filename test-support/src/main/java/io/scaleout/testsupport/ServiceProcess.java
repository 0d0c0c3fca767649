package io.scaleout.testsupport;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A service node in its own JVM, started from the test classpath, so a test can send it a real
 * SIGTERM or SIGKILL and read its JSON log lines.
 */
public final class ServiceProcess implements AutoCloseable {
  private static final List<String> JVM_FLAGS = List.of(
      "-Xmx256m",
      "--add-modules", "java.se",
      "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-opens", "java.base/java.lang=ALL-UNNAMED",
      "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens", "java.management/sun.management=ALL-UNNAMED",
      "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED");
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  private final String name;
  private final Process process;
  private final Path log;
  private final String managementHost;
  private final int managementPort;

  private ServiceProcess(String name, Process process, Path log, String managementHost, int managementPort) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.managementHost = managementHost;
    this.managementPort = managementPort;
  }

  /** Starts {@code mainClass} with the given environment added to this JVM's. */
  public static ServiceProcess start(String name, String mainClass, Map<String, String> environment) {
    return startMain(name, mainClass, environment, List.of());
  }

  /** Starts {@code mainClass} with arguments and the given environment added to this JVM's. */
  public static ServiceProcess startMain(String name, String mainClass, Map<String, String> environment, List<String> args) {
    return launch(name, List.of(), "127.0.0.1", mainClass, environment, args);
  }

  /** Starts {@code mainClass} inside one of the test's network hosts (its management port reached at the host's address). */
  public static ServiceProcess startInside(NetworkHosts.Host host, String name, String mainClass, Map<String, String> environment) {
    return launch(name, NetworkHosts.inside(host), host.address(), mainClass, environment, List.of());
  }

  private static ServiceProcess launch(String name, List<String> prefix, String managementHost, String mainClass,
                                       Map<String, String> environment, List<String> args) {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>(prefix);
    command.add(java);
    command.addAll(JVM_FLAGS);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(args);
    try {
      Path dir = Files.createDirectories(Path.of("target", "test-logs"));
      Path log = dir.resolve(name + "-" + System.currentTimeMillis() + ".log");
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
      builder.environment().putAll(environment);
      String mgmt = environment.getOrDefault("MGMT_PORT", "");
      int port = mgmt.matches("\\d{1,5}") ? Integer.parseInt(mgmt) : -1;
      return new ServiceProcess(name, builder.start(), log, managementHost, port);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name, e);
    }
  }

  /** The OS process, for waiting on it. */
  Process process() {
    return process;
  }

  public long pid() {
    return process.pid();
  }

  public boolean alive() {
    return process.isAlive();
  }

  public int managementPort() {
    return managementPort;
  }

  /** HTTP status of GET /health/ready on the management port, or -1 when it does not answer. */
  public int readiness() {
    try {
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + managementHost + ":" + managementPort + "/health/ready"))
          .timeout(Duration.ofSeconds(2)).build();
      return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  public ServiceProcess awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited with " + process.exitValue() + "; log " + log + ":\n" + output());
      }
      if (readiness() == 200) {
        return this;
      }
      Waiting.pause(100);
    }
    throw new IllegalStateException(name + " not ready within " + timeout + "; log " + log + ":\n" + output());
  }

  /** SIGTERM: the graceful path. */
  public void terminate() {
    process.destroy();
  }

  /** SIGKILL: the process vanishes without leaving the cluster. */
  public void kill() {
    process.destroyForcibly();
  }

  /** SIGSTOP: the process hangs with its sockets open, as in a long GC pause or a frozen VM. */
  public void pause() {
    signal("STOP");
  }

  /** SIGCONT: a paused process runs on. */
  public void resume() {
    signal("CONT");
  }

  private void signal(String signal) {
    try {
      int exit = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start().waitFor();
      if (exit != 0) {
        throw new IllegalStateException("kill -" + signal + " " + process.pid() + " exited with " + exit);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public int awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(name + " still running after " + timeout);
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public String output() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** The process's JSON log lines (other lines, such as JVM warnings, are skipped). */
  public List<JsonObject> logLines() {
    List<JsonObject> lines = new ArrayList<>();
    for (String line : output().split("\n")) {
      if (line.startsWith("{")) {
        try {
          lines.add(new JsonObject(line));
        } catch (DecodeException ignored) {
          // a line cut off while being written
        }
      }
    }
    return lines;
  }


  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
