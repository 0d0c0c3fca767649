package io.scaleout.common.db;

import io.scaleout.common.config.Settings;

import java.time.Duration;
import java.util.List;

/**
 * A service's own Postgres database: the primary it writes to and optional read replicas.
 *
 * @param host            primary host
 * @param port            primary port
 * @param name            database name; created at start when missing
 * @param user            user name
 * @param password        password (empty with trust authentication)
 * @param poolSize        connections per pool
 * @param pipeliningLimit in-flight statements per connection of the pipelined clients
 * @param connectTimeout  longest wait for a connection (connecting included)
 * @param statementTimeout server-side bound on every statement (statement_timeout)
 * @param replicas        read replicas as host:port (same database, user and password); may be empty
 */
public record DatabaseConfig(String host, int port, String name, String user, String password, int poolSize,
                             int pipeliningLimit, Duration connectTimeout, Duration statementTimeout,
                             List<String> replicas) {

  public static DatabaseConfig from(Settings s) {
    return new DatabaseConfig(
        s.string("DB_HOST"),
        s.integer("DB_PORT", 1, 65535),
        s.string("DB_NAME"),
        s.string("DB_USER"),
        s.optionalString("DB_PASSWORD"),
        s.integer("DB_POOL_SIZE", 1, 200),
        s.integer("DB_PIPELINING_LIMIT", 1, 1024),
        s.millis("DB_CONNECT_TIMEOUT_MS", 100, 60_000),
        s.millis("DB_STATEMENT_TIMEOUT_MS", 100, 600_000),
        s.optionalList("DB_REPLICAS"));
  }

  /** "host:port" of the primary, for messages. */
  public String primaryAddress() {
    return host + ":" + port;
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database;
  }
}
