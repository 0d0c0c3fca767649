package io.scaleout.system;

import io.scaleout.common.config.Settings;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The docker-compose file and the Kubernetes manifests against the services' own configuration:
 * every variable they set is one the service reads, management and HTTP ports agree with the
 * health checks and probes, every container has a health check, the drain fits the grace period.
 * (A Docker engine is not available here; `docker-compose config` and the schema validation of
 * the manifests run in CI beside this test.)
 */
class DeploymentFilesTest {
  private static final Path DEPLOY = Path.of("..", "deploy").toAbsolutePath().normalize();
  /** compose service / k8s Deployment → the name its defaults file has. */
  private static final Map<String, String> SERVICES = Map.of(
      "gateway", "gateway", "catalog", "catalog", "session", "session", "worker", "worker");
  private static final Map<String, String> MODULES = Map.of(
      "gateway", "gateway", "catalog", "catalog-service", "session", "session-service", "worker", "worker");

  private static Set<String> known(String service) {
    return Settings.load(service, Map.of()).describe().keySet();
  }

  private static String defaultOf(String service, String key) {
    return Settings.load(service, Map.of()).optionalString(key);
  }

  @Test
  @SuppressWarnings("unchecked")
  void composeServicesSetOnlyKnownVariablesAndCheckTheirHealth() throws IOException {
    Map<String, Object> compose = load(DEPLOY.resolve("docker-compose.yml")).get(0);
    Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");

    services.forEach((name, service) ->
        assertThat(service).as("compose service %s has a healthcheck", name).containsKey("healthcheck"));
    for (var entry : SERVICES.entrySet()) {
      Map<String, Object> service = services.get(entry.getKey());
      assertThat(service).as("compose service " + entry.getKey()).isNotNull();
      Map<String, Object> env = (Map<String, Object>) service.get("environment");
      assertThat(known(entry.getValue())).as("variables of compose service %s", entry.getKey()).containsAll(env.keySet());
      Map<String, Object> build = (Map<String, Object>) service.get("build");
      Map<String, Object> args = (Map<String, Object>) build.get("args");
      assertThat(args.get("MODULE")).isEqualTo(MODULES.get(entry.getKey()));
      assertThat(String.valueOf(env.get("MGMT_PORT"))).as("MGMT_PORT of %s", entry.getKey())
          .isEqualTo(String.valueOf(args.get("MGMT_PORT"))).isEqualTo(defaultOf(entry.getValue(), "MGMT_PORT"));
      String health = String.valueOf(((Map<String, Object>) service.get("healthcheck")).get("test"));
      assertThat(health).contains("$$MGMT_PORT/health/ready");
      Map<String, Map<String, Object>> dependsOn = (Map<String, Map<String, Object>>) service.get("depends_on");
      dependsOn.values().forEach(condition -> assertThat(condition).containsEntry("condition", "service_healthy"));
    }
    // nginx reaches the gateways on the port they listen on
    String upstream = Files.readString(DEPLOY.resolve("compose/nginx-gateways.conf"));
    Map<String, Object> gatewayEnv = (Map<String, Object>) services.get("gateway").get("environment");
    assertThat(upstream).contains("server gateway:" + gatewayEnv.get("HTTP_PORT") + " ");
    assertThat(String.valueOf(gatewayEnv.get("TRUSTED_PROXIES")))
        .isEqualTo(String.valueOf(((Map<String, Map<String, Object>>) services.get("nginx").get("networks")).get("default").get("ipv4_address")));
  }

  @Test
  @SuppressWarnings("unchecked")
  void kubernetesDeploymentsSetOnlyKnownVariablesProbeTheirManagementPortAndDrainInTime() throws IOException {
    List<Map<String, Object>> objects = new ArrayList<>();
    try (Stream<Path> files = Files.list(DEPLOY.resolve("k8s/base"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml") && !f.endsWith("kustomization.yaml")).toList()) {
        objects.addAll(load(file));
      }
    }
    Map<String, Map<String, String>> configMaps = new HashMap<>();
    Map<String, Set<String>> secrets = new HashMap<>();
    for (Map<String, Object> object : objects) {
      String name = (String) ((Map<String, Object>) object.get("metadata")).get("name");
      if ("ConfigMap".equals(object.get("kind"))) {
        configMaps.put(name, (Map<String, String>) object.get("data"));
      } else if ("Secret".equals(object.get("kind"))) {
        secrets.put(name, ((Map<String, Object>) object.get("stringData")).keySet());
      }
    }
    assertThat(known("worker")).as("the cluster ConfigMap is read by every service")
        .containsAll(configMaps.get("scaleout-cluster").keySet());

    int deployments = 0;
    for (Map<String, Object> object : objects) {
      if (!"Deployment".equals(object.get("kind"))) {
        continue;
      }
      deployments++;
      String name = (String) ((Map<String, Object>) object.get("metadata")).get("name");
      Map<String, Object> podSpec = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) object.get("spec")).get("template")).get("spec");
      Map<String, Object> container = ((List<Map<String, Object>>) podSpec.get("containers")).get(0);
      Set<String> known = known(SERVICES.get(name));
      Map<String, String> env = new HashMap<>();
      for (Map<String, Object> source : (List<Map<String, Object>>) container.getOrDefault("envFrom", List.of())) {
        String configMap = (String) ((Map<String, Object>) source.get("configMapRef")).get("name");
        assertThat(configMaps).containsKey(configMap);
        env.putAll(configMaps.get(configMap));
      }
      for (Map<String, Object> variable : (List<Map<String, Object>>) container.get("env")) {
        String key = (String) variable.get("name");
        env.put(key, String.valueOf(variable.get("value")));
        Map<String, Object> from = (Map<String, Object>) variable.get("valueFrom");
        if (from != null && from.containsKey("secretKeyRef")) {
          Map<String, Object> ref = (Map<String, Object>) from.get("secretKeyRef");
          assertThat(secrets.get((String) ref.get("name"))).as("secret key of %s", key).contains((String) ref.get("key"));
        }
        if (from != null && from.containsKey("configMapKeyRef")) {
          Map<String, Object> ref = (Map<String, Object>) from.get("configMapKeyRef");
          assertThat(configMaps.get((String) ref.get("name"))).as("config map key of %s", key).containsKey((String) ref.get("key"));
        }
      }
      assertThat(known).as("variables of Deployment %s", name).containsAll(env.keySet());
      assertThat(env.get("MGMT_PORT")).isEqualTo(defaultOf(SERVICES.get(name), "MGMT_PORT"));
      Map<String, Integer> ports = new HashMap<>();
      for (Map<String, Object> port : (List<Map<String, Object>>) container.get("ports")) {
        ports.put((String) port.get("name"), (Integer) port.get("containerPort"));
      }
      assertThat(ports.get("management")).isEqualTo(Integer.parseInt(env.get("MGMT_PORT")));
      assertThat(ports.get("hazelcast")).isEqualTo(Integer.parseInt(defaultOf(name, "CLUSTER_PORT")));
      if (env.containsKey("HTTP_PORT")) {
        assertThat(ports.get("http")).isEqualTo(Integer.parseInt(env.get("HTTP_PORT")));
      }
      for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
        assertThat(container).as("%s has a %s", name, probe).containsKey(probe);
        Map<String, Object> httpGet = (Map<String, Object>) ((Map<String, Object>) container.get(probe)).get("httpGet");
        assertThat(httpGet.get("port")).as("%s of %s", probe, name).isEqualTo("management");
      }
      assertThat(((Map<String, Object>) ((Map<String, Object>) container.get("readinessProbe")).get("httpGet")).get("path"))
          .isEqualTo("/health/ready");
      // preStop pause + not-ready grace + the longest drain + the last flush must fit the grace period
      long preStopSeconds = preStopSleep(container);
      long drainMillis = Long.parseLong(env.getOrDefault("SHUTDOWN_DRAIN_TIMEOUT_MS", defaultOf(SERVICES.get(name), "SHUTDOWN_DRAIN_TIMEOUT_MS")))
          + Long.parseLong(env.getOrDefault("SHUTDOWN_GRACE_MS", defaultOf(SERVICES.get(name), "SHUTDOWN_GRACE_MS")))
          + Long.parseLong(defaultOf(SERVICES.get(name), "SHUTDOWN_FLUSH_MS"));
      assertThat(((Number) podSpec.get("terminationGracePeriodSeconds")).longValue() * 1000)
          .as("grace period of %s", name).isGreaterThan(preStopSeconds * 1000 + drainMillis);
    }
    assertThat(deployments).isEqualTo(SERVICES.size());
  }

  private static long preStopSleep(Map<String, Object> container) {
    @SuppressWarnings("unchecked")
    Map<String, Object> exec = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) container.get("lifecycle"))
        .get("preStop")).get("exec");
    Matcher sleep = Pattern.compile("sleep (\\d+)").matcher(String.join(" ", (List<String>) exec.get("command")));
    assertThat(sleep.find()).isTrue();
    return Long.parseLong(sleep.group(1));
  }

  private static List<Map<String, Object>> load(Path file) throws IOException {
    List<Map<String, Object>> documents = new ArrayList<>();
    try (Reader reader = Files.newBufferedReader(file)) {
      for (Object document : new Yaml().loadAll(reader)) {
        if (document != null) {
          @SuppressWarnings("unchecked")
          Map<String, Object> map = (Map<String, Object>) document;
          documents.add(map);
        }
      }
    }
    return documents;
  }
}
