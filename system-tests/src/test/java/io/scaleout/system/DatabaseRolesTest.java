package io.scaleout.system;

import io.scaleout.common.config.Settings;
import io.scaleout.common.db.DatabaseConfig;
import io.scaleout.common.db.Databases;
import io.scaleout.testsupport.Await;
import io.scaleout.testsupport.PostgresReplicaSet;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The services' own Postgres roles as the deployments make them: deploy/k8s/base/postgres-roles.sh
 * (what docker-compose runs at its primary's first start and the Kubernetes Job runs) on a private
 * Postgres whose TCP connections need a password; then each service prepares its database as its
 * own role, from a password file (DB_PASSWORD_FILE), as it does at start: migrations included.
 */
@ExtendWith(VertxExtension.class)
class DatabaseRolesTest {
  private static final Path SCRIPT = Path.of("..", "deploy", "k8s", "base", "postgres-roles.sh").toAbsolutePath().normalize();
  /** service (defaults file and migrations folder) → its role and database. */
  private static final List<List<String>> SERVICES = List.of(
      List.of("catalog", "catalog", "catalog"), List.of("session", "session", "accounts"), List.of("worker", "worker", "jobs"));
  private static PostgresReplicaSet postgres;
  private static Path secrets;

  @BeforeAll
  static void start() throws Exception {
    postgres = PostgresReplicaSet.startWithPasswordAuthentication();
    secrets = Files.createTempDirectory("scaleout-db-secrets-");
    for (List<String> service : SERVICES) {
      writePassword(service.get(1), "pw-" + service.get(1) + "-" + System.nanoTime());
    }
    runScript();
  }

  @AfterAll
  static void stop() throws IOException {
    postgres.close();
    try (var files = Files.list(secrets)) {
      for (Path file : files.toList()) {
        Files.delete(file);
      }
    }
    Files.delete(secrets);
  }

  private static void writePassword(String role, String password) throws IOException {
    Files.writeString(secrets.resolve(role + "-db-password"), password + "\n");
  }

  private static void runScript() throws IOException, InterruptedException {
    ProcessBuilder script = new ProcessBuilder("bash", SCRIPT.toString()).redirectErrorStream(true);
    script.environment().putAll(Map.of("PGHOST", postgres.socketDirectory().toString(),
        "PGPORT", Integer.toString(postgres.primaryPort()), "PGUSER", "postgres", "SCALEOUT_SECRETS_DIR", secrets.toString()));
    Process process = script.start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
  }

  /** The database settings of {@code service} as a deployment gives them, over TCP with a password. */
  private static DatabaseConfig database(String service, String role, String name, Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(Map.of("DB_HOST", "127.0.0.1", "DB_PORT", Integer.toString(postgres.primaryPort()),
        "DB_USER", role, "DB_NAME", name, "DB_PASSWORD_FILE", secrets.resolve(role + "-db-password").toString(),
        "DB_CONNECT_TIMEOUT_MS", "5000"));
    env.putAll(extra);
    if (extra.containsKey("DB_PASSWORD")) {
      env.remove("DB_PASSWORD_FILE");
    }
    return DatabaseConfig.from(Settings.load(service, env));
  }

  private static Row one(Vertx vertx, DatabaseConfig config, String sql) {
    Pool pool = Databases.primaryPool(vertx, config);
    try {
      return Await.result(pool.query(sql).execute(), Duration.ofSeconds(10)).iterator().next();
    } finally {
      pool.close();
    }
  }

  /** Why connecting with {@code config} fails (it must). */
  private static Throwable refusal(Vertx vertx, DatabaseConfig config) {
    Pool pool = Databases.primaryPool(vertx, config);
    try {
      return Await.failure(pool.query("SELECT 1").execute(), Duration.ofSeconds(10));
    } finally {
      pool.close();
    }
  }

  @Test
  void eachServiceMigratesTheDatabaseItOwnsAsItsOwnRole(Vertx vertx) {
    for (List<String> service : SERVICES) {
      DatabaseConfig config = database(service.get(0), service.get(1), service.get(2), Map.of());
      Await.result(Databases.prepare(vertx, config, service.get(0)), Duration.ofSeconds(60));

      Row row = one(vertx, config, "SELECT current_user AS me, pg_get_userbyid(d.datdba) AS owner, "
          + "(SELECT count(*) FROM flyway_schema_history WHERE success) AS migrations "
          + "FROM pg_database d WHERE d.datname = current_database()");
      assertThat(row.getString("me")).isEqualTo(service.get(1));
      assertThat(row.getString("owner")).as("owner of %s", service.get(2)).isEqualTo(service.get(1));
      assertThat(row.getLong("migrations")).as("migrations of %s", service.get(0)).isPositive();
    }
  }

  @Test
  void theRolesMayDoNoMoreThanAServiceNeeds(Vertx vertx) {
    DatabaseConfig catalog = database("catalog", "catalog", "catalog", Map.of());
    Row row = one(vertx, catalog, "SELECT bool_or(rolsuper) AS superuser, bool_or(rolcreatedb) AS createdb, "
        + "bool_or(rolcreaterole) AS createrole, bool_or(rolreplication) AS replication, bool_or(rolbypassrls) AS bypassrls, "
        + "count(*) AS roles FROM pg_roles WHERE rolname IN ('catalog', 'session', 'worker')");
    assertThat(row.getLong("roles")).isEqualTo(3);
    for (String attribute : List.of("superuser", "createdb", "createrole", "replication", "bypassrls")) {
      assertThat(row.getBoolean(attribute)).as(attribute).isFalse();
    }
    // no role may connect to another service's database, nor to its own with another's password
    assertThat(refusal(vertx, database("catalog", "catalog", "accounts", Map.of())))
        .hasMessageContaining("permission denied for database \"accounts\"");
    assertThat(refusal(vertx, database("session", "session", "jobs", Map.of())))
        .hasMessageContaining("permission denied for database \"jobs\"");
    assertThat(refusal(vertx, database("worker", "worker", "jobs", Map.of("DB_PASSWORD", "not-the-password"))))
        .hasMessageContaining("password authentication failed");
  }

  @Test
  void runningTheScriptAgainChangesAPasswordAndNothingElse(Vertx vertx) throws Exception {
    String old = Files.readString(secrets.resolve("worker-db-password")).trim();
    writePassword("worker", "pw-worker-rotated-" + System.nanoTime());
    runScript();

    DatabaseConfig rotated = database("worker", "worker", "jobs", Map.of());
    Await.result(Databases.prepare(vertx, rotated, "worker"), Duration.ofSeconds(60));
    assertThat(one(vertx, rotated, "SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = 'jobs'")
        .getString("owner")).isEqualTo("worker");
    assertThat(refusal(vertx, database("worker", "worker", "jobs", Map.of("DB_PASSWORD", old))))
        .hasMessageContaining("password authentication failed");
  }
}
