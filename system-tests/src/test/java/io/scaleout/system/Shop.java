package io.scaleout.system;

import io.scaleout.catalog.CatalogModule;
import io.scaleout.common.runtime.ServiceRuntime;
import io.scaleout.gateway.GatewayModule;
import io.scaleout.session.SessionModule;
import io.scaleout.testsupport.FreePorts;
import io.scaleout.testsupport.HttpTestClient;
import io.scaleout.testsupport.PostgresDatabases;
import io.scaleout.testsupport.TestCluster;
import io.scaleout.testsupport.TestModules;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The platform in one test JVM, every node a real Hazelcast member: gateways, session and catalog
 * instances with their own databases and Redis keys, and a worker stand-in answering pings.
 */
final class Shop implements AutoCloseable {
  static final String ADMIN_EMAIL = "admin@example.org";
  static final String ADMIN_PASSWORD = "admin-password-1";

  final TestCluster cluster = new TestCluster();
  final String accounts = PostgresDatabases.uniqueName("accounts");
  final String catalog = PostgresDatabases.uniqueName("catalog_sys");
  final String redisPrefix = "t-" + accounts + ":";
  private final Map<String, String> sessionEnv;
  final List<ServiceRuntime> sessionNodes = new CopyOnWriteArrayList<>();
  ServiceRuntime catalogNode;
  private final Vertx clientVertx = Vertx.vertx();

  Shop(Map<String, String> sessionSettings) {
    Map<String, String> env = new HashMap<>(Map.of("DB_NAME", accounts, "REDIS_KEY_PREFIX", redisPrefix,
        "ADMIN_EMAIL", ADMIN_EMAIL, "ADMIN_PASSWORD", ADMIN_PASSWORD));
    env.putAll(sessionSettings);
    this.sessionEnv = Map.copyOf(env);
  }

  Shop startCatalog() {
    return startCatalog(Map.of("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1", "KAFKA_TIMEOUT_MS", "1000"));
  }

  /** A catalog instance with these settings over its database and cache keys (e.g. a real broker). */
  Shop startCatalog(Map<String, String> settings) {
    Map<String, String> env = new HashMap<>(settings);
    env.put("DB_NAME", catalog);
    env.put("CACHE_KEY_PREFIX", redisPrefix + "catalog:");
    catalogNode = cluster.startNode("catalog", "catalog", env, new CatalogModule()::start);
    return this;
  }

  Shop startSessions(int instances) {
    for (int i = 0; i < instances; i++) {
      sessionNodes.add(cluster.startNode("session", "session", sessionEnv, SessionModule::start));
    }
    return this;
  }

  io.scaleout.testsupport.ServiceProcess sessionProcess;

  /** One session instance in its own JVM (its hashing and GC stay out of this JVM). */
  Shop startSessionProcess() {
    sessionProcess = cluster.spawn(io.scaleout.session.SessionMain.class.getName(), "session", sessionEnv);
    return this;
  }

  Shop startWorkerStandIn() {
    cluster.startTestNode("worker", TestModules.none());
    return this;
  }

  /** Stops every session instance gracefully, then starts as many new ones. */
  void restartSessions() {
    int count = sessionNodes.size();
    for (ServiceRuntime node : sessionNodes) {
      io.scaleout.testsupport.Await.result(node.shutdown(), Duration.ofSeconds(60));
    }
    sessionNodes.clear();
    startSessions(count);
  }

  final List<ServiceRuntime> gatewayNodes = new CopyOnWriteArrayList<>();

  HttpTestClient startGateway(Map<String, String> settings) {
    int port = FreePorts.next();
    Map<String, String> env = new HashMap<>(settings);
    env.put("HTTP_PORT", Integer.toString(port));
    // these tests send bursts of sign-ins from one address on purpose (the session service's own
    // throttle is under test); the gateway's limits have their test in the gateway module
    env.putIfAbsent("RATE_LIMIT_ENABLED", "false");
    gatewayNodes.add(cluster.startNode("gateway", "gateway", env, GatewayModule::start));
    return new HttpTestClient(clientVertx, port);
  }

  static JsonObject register(HttpTestClient gateway, String email, String password) {
    HttpTestClient.Response response = gateway.json(HttpMethod.POST, "/api/users", HttpTestClient.headers(),
        new JsonObject().put("email", email).put("password", password).put("name", "Test " + email));
    if (response.status() != 201) {
      throw new IllegalStateException("register failed: " + response.status() + " " + response.body());
    }
    return response.json();
  }

  static HttpTestClient.Response login(HttpTestClient gateway, String email, String password) {
    return gateway.json(HttpMethod.POST, "/api/sessions", HttpTestClient.headers(),
        new JsonObject().put("email", email).put("password", password));
  }

  static String token(HttpTestClient gateway, String email, String password) {
    HttpTestClient.Response response = login(gateway, email, password);
    if (response.status() != 201) {
      throw new IllegalStateException("login failed: " + response.status() + " " + response.body());
    }
    return response.json().getString("token");
  }

  static io.vertx.core.MultiMap bearer(String token) {
    return HttpTestClient.headers("Authorization", "Bearer " + token);
  }

  @Override
  public void close() {
    cluster.close();
    clientVertx.close();
    PostgresDatabases.drop(accounts);
    PostgresDatabases.drop(catalog);
  }
}
