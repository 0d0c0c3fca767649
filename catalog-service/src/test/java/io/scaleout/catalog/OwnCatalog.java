package io.scaleout.catalog;

import io.scaleout.testsupport.PostgresDatabases;
import io.scaleout.testsupport.TestCluster;

import java.util.Map;

/**
 * One test class's catalog: a node in a cluster of its own over a Postgres database and cache keys
 * of its own (Kafka unreachable, so the outbox just waits), and a client on the bus.
 */
final class OwnCatalog implements AutoCloseable {
  private final String db;
  private final TestCluster cluster = new TestCluster();
  private final CatalogClient client;

  OwnCatalog(String dbPrefix) {
    this(dbPrefix, Map.of());
  }

  /** With settings of the test's own on top. */
  OwnCatalog(String dbPrefix, Map<String, String> settings) {
    db = PostgresDatabases.uniqueName(dbPrefix);
    Map<String, String> env = new java.util.HashMap<>(Map.of("DB_NAME", db, "CACHE_KEY_PREFIX", "t-" + db + ":",
        "KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1", "KAFKA_TIMEOUT_MS", "1000"));
    env.putAll(settings);
    cluster.startNode("catalog", "catalog", env, new CatalogModule()::start);
    client = new CatalogClient(cluster.startClient(), cluster.callerSeal());
  }

  String database() {
    return db;
  }

  CatalogClient client() {
    return client;
  }

  @Override
  public void close() {
    cluster.close();
    PostgresDatabases.drop(db);
  }
}
