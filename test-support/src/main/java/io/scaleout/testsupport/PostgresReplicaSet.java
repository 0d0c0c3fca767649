package io.scaleout.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private Postgres primary and a real streaming replica of it (initdb, pg_basebackup -R,
 * standby), in a temp directory, on free loopback ports, run as the postgres user. Tests pause the
 * replica's replay, stop it and start it again.
 */
public final class PostgresReplicaSet implements AutoCloseable {
  private final Path base;
  private final Path bin;
  private final int primaryPort;
  private final int replicaPort;

  private PostgresReplicaSet(Path base, Path bin, int primaryPort, int replicaPort) {
    this.base = base;
    this.bin = bin;
    this.primaryPort = primaryPort;
    this.replicaPort = replicaPort;
  }

  public static PostgresReplicaSet start() {
    return start(false);
  }

  /**
   * One whose TCP connections must give a password (scram-sha-256), as a deployed Postgres: only
   * the postgres superuser over the Unix socket in {@link #socketDirectory()} is trusted.
   */
  public static PostgresReplicaSet startWithPasswordAuthentication() {
    return start(true);
  }

  private static PostgresReplicaSet start(boolean passwords) {
    try {
      Path bin = postgresBin();
      Path base = Files.createTempDirectory("scaleout-pg-");
      chownToPostgres(base);
      PostgresReplicaSet set = new PostgresReplicaSet(base, bin, FreePorts.next(), FreePorts.next());
      set.run(bin.resolve("initdb").toString(), "-D", set.primaryDir(), "-A", "trust",
          "--auth-host=" + (passwords ? "scram-sha-256" : "trust"), "-U", "postgres", "--no-sync");
      set.startServer(set.primaryDir(), set.primaryPort, "-c wal_level=replica -c max_wal_senders=5");
      set.run(bin.resolve("pg_basebackup").toString(), "-h", passwords ? base.toString() : "127.0.0.1",
          "-p", Integer.toString(set.primaryPort), "-U", "postgres", "-D", set.replicaDir(), "-R", "-X", "stream", "--no-sync");
      set.startReplica();
      return set;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int primaryPort() {
    return primaryPort;
  }

  public int replicaPort() {
    return replicaPort;
  }

  /** The folder of both servers' Unix sockets (a libpq host). */
  public Path socketDirectory() {
    return base;
  }

  /** "host:port" of the replica, as a service's DB_REPLICAS names it. */
  public String replicaAddress() {
    return "127.0.0.1:" + replicaPort;
  }

  /**
   * Settings of a service whose every read goes to this set: its primary, its replica checked every
   * 200 ms, and Redis and Kafka unreachable (so no cache answers first); {@code extra} on top.
   */
  public Map<String, String> onlyPostgres(Map<String, String> extra) {
    Map<String, String> settings = new HashMap<>(Map.of("DB_PORT", Integer.toString(primaryPort), "DB_REPLICAS", replicaAddress(),
        "REPLICA_CHECK_INTERVAL_MS", "200", "REDIS_URL", "redis://127.0.0.1:1/0",
        "KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1", "KAFKA_TIMEOUT_MS", "1000"));
    settings.putAll(extra);
    return settings;
  }

  public void startReplica() {
    startServer(replicaDir(), replicaPort, "-c hot_standby=on");
  }

  /** Stops the replica at once (no checkpoint): to the catalog it just disappears. */
  public void stopReplica() {
    run(bin.resolve("pg_ctl").toString(), "-D", replicaDir(), "-m", "immediate", "-w", "stop");
  }

  public void pauseReplay() {
    PostgresDatabases.execute("127.0.0.1", replicaPort, "postgres", "SELECT pg_wal_replay_pause()");
  }

  public void resumeReplay() {
    PostgresDatabases.execute("127.0.0.1", replicaPort, "postgres", "SELECT pg_wal_replay_resume()");
  }

  private String primaryDir() {
    return base.resolve("primary").toString();
  }

  private String replicaDir() {
    return base.resolve("replica").toString();
  }

  private void startServer(String dir, int port, String extra) {
    run(bin.resolve("pg_ctl").toString(), "-D", dir, "-l", dir + ".log", "-w", "-t", "60", "-o",
        "-p " + port + " -k " + base + " -c listen_addresses=127.0.0.1 -c fsync=off " + extra, "start");
  }

  private void run(String... command) {
    List<String> full = new ArrayList<>();
    if ("root".equals(System.getProperty("user.name"))) {
      full.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    full.addAll(List.of(command));
    try {
      Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes());
      if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Path postgresBin() throws IOException {
    try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
      return versions.map(v -> v.resolve("bin"))
          .filter(b -> Files.isExecutable(b.resolve("initdb")))
          .max(Comparator.comparing(p -> Integer.parseInt(p.getParent().getFileName().toString())))
          .orElseThrow(() -> new IllegalStateException("no PostgreSQL server binaries under /usr/lib/postgresql"));
    }
  }

  private static void chownToPostgres(Path dir) throws IOException {
    if ("root".equals(System.getProperty("user.name"))) {
      try {
        Process chown = new ProcessBuilder("chown", "postgres:postgres", dir.toString()).start();
        chown.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void close() {
    for (String dir : List.of(replicaDir(), primaryDir())) {
      try {
        run(bin.resolve("pg_ctl").toString(), "-D", dir, "-m", "immediate", "-w", "stop");
      } catch (IllegalStateException alreadyStopped) {
        // a test may have stopped it already
      }
    }
    try (Stream<Path> files = Files.walk(base)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
