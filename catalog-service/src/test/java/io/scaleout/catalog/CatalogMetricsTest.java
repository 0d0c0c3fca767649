package io.scaleout.catalog;

import io.scaleout.common.runtime.ServiceRuntime;
import io.scaleout.testsupport.PrometheusText;
import io.scaleout.testsupport.PostgresDatabases;
import io.scaleout.testsupport.TestCluster;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** GET /metrics on the management port: Prometheus text with Vert.x, JVM and catalog figures. */
class CatalogMetricsTest {
  private static final String DB = PostgresDatabases.uniqueName("catalog_metrics");
  private static TestCluster cluster;
  private static ServiceRuntime node;
  private static CatalogClient catalog;
  private static Vertx vertx;

  @BeforeAll
  static void start() {
    cluster = new TestCluster();
    node = cluster.startNode("catalog", "catalog", Map.of("DB_NAME", DB, "CACHE_KEY_PREFIX", "t-" + DB + ":",
        "KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1", "KAFKA_TIMEOUT_MS", "1000"), new CatalogModule()::start);
    catalog = new CatalogClient(cluster.startClient(), cluster.callerSeal());
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    cluster.close();
    vertx.close();
    PostgresDatabases.drop(DB);
  }

  @Test
  void metricsParseAndCountCacheHitsAndReads() {
    double hitsBefore = PrometheusText.scrape(vertx, node.managementPort()).value("catalog_cache_requests_total", "result=\"hit\"");
    long id = catalog.create(CatalogClient.product("metrics-1", "metrics", 100), CatalogClient.ADMIN).json().getLong("id");
    catalog.get(id);
    catalog.get(id);

    PrometheusText metrics = PrometheusText.scrape(vertx, node.managementPort());
    List<String> lines = metrics.lines();
    assertThat(metrics.value("catalog_cache_requests_total", "result=\"hit\"") - hitsBefore).isEqualTo(2);
    assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("catalog_reads_total{")
        .contains("target=\"primary\"").contains("service=\"catalog\"").contains("instance=\""));
    assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("catalog_outbox_published_total{"));
    assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("jvm_memory_used_bytes{"));
    assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("vertx_eventbus_"));
    assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("vertx_http_server_"));
  }
}
