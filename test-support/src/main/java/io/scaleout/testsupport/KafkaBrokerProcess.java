package io.scaleout.testsupport;

import org.apache.kafka.common.Uuid;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real single-node KRaft Kafka broker in a child JVM (the Kafka server classes of the test
 * classpath), which a test can stop and start again on the same port and data: "Kafka is down for
 * a while". Use {@link KafkaBroker} when the broker never needs to stop.
 */
public final class KafkaBrokerProcess implements AutoCloseable {
  private final Path dir;
  private final int port;
  private ServiceProcess process;

  private KafkaBrokerProcess(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  public static KafkaBrokerProcess start() {
    try {
      Path dir = Files.createTempDirectory("scaleout-kafka-");
      KafkaBrokerProcess broker = new KafkaBrokerProcess(dir, FreePorts.next());
      int controller = FreePorts.next();
      Files.writeString(dir.resolve("server.properties"), String.join("\n", List.of(
          "process.roles=broker,controller",
          "node.id=1",
          "controller.quorum.bootstrap.servers=127.0.0.1:" + controller,
          "listeners=PLAINTEXT://127.0.0.1:" + broker.port + ",CONTROLLER://127.0.0.1:" + controller,
          "advertised.listeners=PLAINTEXT://127.0.0.1:" + broker.port,
          "controller.listener.names=CONTROLLER",
          "inter.broker.listener.name=PLAINTEXT",
          "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
          "log.dirs=" + dir.resolve("data"),
          "offsets.topic.replication.factor=1",
          "transaction.state.log.replication.factor=1",
          "transaction.state.log.min.isr=1",
          "share.coordinator.state.topic.replication.factor=1",
          "share.coordinator.state.topic.min.isr=1",
          "group.initial.rebalance.delay.ms=0",
          // the log cleaner allocates its whole dedupe buffer at start (128 MiB by default): in the
          // child JVM's 256 MiB heap that once ended the broker with an OutOfMemoryError
          "log.cleaner.dedupe.buffer.size=16777216",
          "auto.create.topics.enable=false")) + "\n");
      ServiceProcess format = ServiceProcess.startMain("kafka-format", "kafka.tools.StorageTool", Map.of(),
          List.of("format", "-t", Uuid.randomUuid().toString(), "-c", dir.resolve("server.properties").toString(), "--standalone"));
      if (format.awaitExit(Duration.ofSeconds(60)) != 0) {
        throw new IllegalStateException("Kafka storage format failed:\n" + format.output());
      }
      broker.launch();
      return broker;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  /** SIGKILL: the broker is gone at once. */
  public void stop() {
    process.close();
  }

  /** SIGSTOP: the broker hangs with its connections open. */
  public void pause() {
    process.pause();
  }

  /** SIGCONT. */
  public void resume() {
    process.resume();
  }

  /** Starts the broker again on the same port with the same data. */
  public void restart() {
    launch();
  }

  private void launch() {
    process = ServiceProcess.startMain("kafka", "kafka.Kafka", Map.of("LOG_LEVEL", "WARN"),
        List.of(dir.resolve("server.properties").toString()));
    try {
      Waiting.untilListening("Kafka", port, Duration.ofSeconds(60), process.process());
    } catch (IllegalStateException e) {
      throw new IllegalStateException(e.getMessage() + ":\n" + process.output(), e);
    }
  }

  @Override
  public void close() {
    if (process != null) {
      process.close();
    }
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
