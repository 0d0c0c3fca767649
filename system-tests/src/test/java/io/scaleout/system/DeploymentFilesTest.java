package io.scaleout.system;

import io.scaleout.common.config.Settings;
import io.scaleout.session.user.AdminPasswords;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The docker-compose file and the Kubernetes manifests against the services' own configuration:
 * every variable they set is one the service reads, management and HTTP ports agree with the
 * health checks and probes, every container has a health check, the drain fits the grace period;
 * and the promises of a deployment that is safe by default: no password in the files (each is a
 * secret file or a Secret), each service signs in to Postgres as its own role, Redis asks for a
 * password, every member has the cluster TLS files and identity key, every workload meets the
 * restricted Pod Security Standard with a read-only root filesystem, and the NetworkPolicies let
 * each port be reached only by whom it serves; compose and Kubernetes run exactly the images
 * deploy/docker/build.sh makes. (deploy/compose/test.sh starts the compose file for real, and the
 * schema validation of the manifests runs, in CI beside this test.)
 */
class DeploymentFilesTest {
  private static final Path DEPLOY = Path.of("..", "deploy").toAbsolutePath().normalize();
  /** compose service / k8s Deployment → the name its defaults file has. */
  private static final Map<String, String> SERVICES = Map.of(
      "gateway", "gateway", "catalog", "catalog", "session", "session", "worker", "worker");
  private static final Map<String, String> MODULES = Map.of(
      "gateway", "gateway", "catalog", "catalog-service", "session", "session-service", "worker", "worker");
  /** service → its own Postgres role and the database it owns. */
  private static final Map<String, List<String>> DATABASES = Map.of(
      "catalog", List.of("catalog", "catalog"), "session", List.of("session", "accounts"), "worker", List.of("worker", "jobs"));
  private static final String TLS_DIR = "/etc/scaleout/cluster-tls/";
  private static final Map<String, String> TLS_FILES = Map.of(
      "CLUSTER_TLS_CERT", "tls.crt", "CLUSTER_TLS_KEY", "tls.key", "CLUSTER_TLS_CA", "ca.crt");
  private static final String MEMBER_LABEL = "scaleout.io/cluster-member";

  private static Map<String, Object> compose;
  private static Map<String, Map<String, Object>> composeServices;
  private static List<Map<String, Object>> k8s;
  private static Map<String, Map<String, String>> configMaps;
  private static Map<String, Set<String>> generatedSecrets;
  /** The files the secretGenerator reads (names in base/secrets/). */
  private static Set<String> generatedFrom;

  @BeforeAll
  @SuppressWarnings("unchecked")
  static void load() throws IOException {
    compose = load(DEPLOY.resolve("docker-compose.yml")).get(0);
    composeServices = (Map<String, Map<String, Object>>) compose.get("services");
    k8s = new ArrayList<>();
    try (Stream<Path> files = Files.list(DEPLOY.resolve("k8s/base"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml") && !f.endsWith("kustomization.yaml")).toList()) {
        k8s.addAll(load(file));
      }
    }
    configMaps = new HashMap<>();
    for (Map<String, Object> object : kind("ConfigMap")) {
      configMaps.put(name(object), (Map<String, String>) object.get("data"));
    }
    generatedSecrets = new HashMap<>();
    generatedFrom = new HashSet<>();
    Map<String, Object> kustomization = load(DEPLOY.resolve("k8s/base/kustomization.yaml")).get(0);
    for (Map<String, Object> generator : (List<Map<String, Object>>) kustomization.get("secretGenerator")) {
      Set<String> keys = new HashSet<>();
      for (String file : (List<String>) generator.get("files")) {
        String path = file.substring(file.indexOf('=') + 1);
        assertThat(path).as("a generated Secret reads base/secrets/").startsWith("secrets/");
        keys.add(file.contains("=") ? file.substring(0, file.indexOf('=')) : Path.of(path).getFileName().toString());
        generatedFrom.add(Path.of(path).getFileName().toString());
      }
      generatedSecrets.put((String) generator.get("name"), keys);
    }
  }

  private static Set<String> known(String service) {
    return Settings.load(service, Map.of()).describe().keySet();
  }

  /** Whether the service reads the variable: one of its settings, or NAME_FILE of one. */
  private static boolean reads(String service, String variable) {
    Set<String> known = known(service);
    String name = variable.endsWith(Settings.FILE_SUFFIX) && !known.contains(variable)
        ? variable.substring(0, variable.length() - Settings.FILE_SUFFIX.length()) : variable;
    return known.contains(name);
  }

  private static String defaultOf(String service, String key) {
    return Settings.load(service, Map.of()).optionalString(key);
  }

  // ---------------------------------------------------------------------------------- compose

  @Test
  @SuppressWarnings("unchecked")
  void composeServicesSetOnlyKnownVariablesAndCheckTheirHealth() throws IOException {
    Map<String, Path> dockerfiles = builtImages();
    for (var service : composeServices.entrySet()) {
      String dockerfile = Files.readString(dockerfiles.get(imageName(imageOf(service.getValue()))));
      Matcher imageHealth = Pattern.compile("(?m)^HEALTHCHECK .*CMD (.+)$").matcher(dockerfile);
      Map<String, Object> own = (Map<String, Object>) service.getValue().get("healthcheck");
      if (own != null) {
        assertThat(own.get("disable")).as("compose service %s does not disable its health check", service.getKey()).isNotEqualTo(true);
        assertThat(String.valueOf(own.get("test"))).as("health check of %s", service.getKey()).doesNotContain("NONE");
      } else {
        assertThat(imageHealth.find()).as("compose service %s has a health check (its own or its image's)", service.getKey()).isTrue();
        assertThat(imageHealth.group(1)).doesNotContain("NONE");
      }
      String health = own != null ? String.valueOf(own.get("test")) : imageHealth.group(1);
      if (health.contains("scaleout-ready")) {
        // the script is where the check looks for it, in this image or the jre base it starts from
        String withBase = dockerfile.contains("FROM ${JRE_IMAGE}") ? Files.readString(dockerfiles.get("jre")) + dockerfile : dockerfile;
        assertThat(withBase).as("image of %s holds scaleout-ready", service.getKey()).contains("COPY ready.sh /usr/local/bin/scaleout-ready");
      }
    }
    // nginx's own check asks the port nginx listens on
    assertThat(Files.readString(dockerfiles.get("nginx"))).containsPattern("(?m)^HEALTHCHECK .*CMD scaleout-ready \"\\$NGINX_PORT\" ");
    Map<String, String> managementPorts = buildScriptModules();
    for (var entry : SERVICES.entrySet()) {
      Map<String, Object> service = composeServices.get(entry.getKey());
      assertThat(service).as("compose service " + entry.getKey()).isNotNull();
      Map<String, Object> env = composeEnv(entry.getKey());
      assertThat(env.keySet()).as("variables of compose service %s", entry.getKey())
          .allSatisfy(variable -> assertThat(reads(entry.getValue(), variable)).as(variable).isTrue());
      assertThat(String.valueOf(env.get("MGMT_PORT"))).as("MGMT_PORT of %s", entry.getKey())
          .isEqualTo(managementPorts.get(MODULES.get(entry.getKey()))).isEqualTo(defaultOf(entry.getValue(), "MGMT_PORT"));
      String health = String.valueOf(((Map<String, Object>) service.get("healthcheck")).get("test"));
      assertThat(health).contains("scaleout-ready");
      Map<String, Map<String, Object>> dependsOn = (Map<String, Map<String, Object>>) service.get("depends_on");
      dependsOn.values().forEach(condition -> assertThat(condition).containsEntry("condition", "service_healthy"));
      // one Hazelcast cluster by DNS: every member carries the alias the join looks up
      assertThat(env).containsEntry("CLUSTER_JOIN", "dns");
      assertThat(((Map<String, Map<String, List<String>>>) service.get("networks")).get("default").get("aliases"))
          .contains(String.valueOf(env.get("CLUSTER_DNS_NAME")));
    }
    // nginx follows the gateways by their service name, on the port they listen on, from the
    // address they trust, which no other container can take first
    Map<String, Object> nginx = composeServices.get("nginx");
    Map<String, Object> nginxEnv = (Map<String, Object>) nginx.get("environment");
    Map<String, Object> gatewayEnv = composeEnv("gateway");
    assertThat(composeServices).containsKey(String.valueOf(nginxEnv.get("GATEWAY_NAME")));
    assertThat(String.valueOf(nginxEnv.get("GATEWAY_PORT"))).isEqualTo(String.valueOf(gatewayEnv.get("HTTP_PORT")));
    String nginxAddress = String.valueOf(((Map<String, Map<String, Object>>) nginx.get("networks")).get("default").get("ipv4_address"));
    assertThat(String.valueOf(gatewayEnv.get("TRUSTED_PROXIES"))).isEqualTo(nginxAddress);
    Map<String, Object> ipam = ((List<Map<String, Object>>) ((Map<String, Object>) ((Map<String, Map<String, Object>>)
        compose.get("networks")).get("default").get("ipam")).get("config")).get(0);
    assertThat(inRange(nginxAddress, String.valueOf(ipam.get("subnet")))).isTrue();
    assertThat(inRange(nginxAddress, String.valueOf(ipam.get("ip_range")))).as("nginx's address is outside the dynamic range").isFalse();
  }

  @Test
  @SuppressWarnings("unchecked")
  void composeAndKubernetesUseTheImagesBuildShMakes() throws IOException {
    String version = projectVersion();
    Set<String> built = builtImages().keySet();
    composeServices.forEach((name, service) -> {
      Matcher image = Pattern.compile("scaleout/([a-z-]+):\\$\\{IMAGE_TAG:-([^}]+)}").matcher(imageOf(service));
      assertThat(image.matches()).as("compose service %s runs a scaleout image tagged IMAGE_TAG: %s", name, imageOf(service)).isTrue();
      assertThat(built).as("images build.sh makes").contains(image.group(1));
      assertThat(image.group(2)).as("the default tag of %s", name).isEqualTo(version);
    });
    SERVICES.keySet().forEach(service -> assertThat(imageOf(composeServices.get(service))).startsWith("scaleout/" + MODULES.get(service) + ":"));
    for (Map<String, Object> object : kind("Deployment")) {
      assertThat(container(object).get("image")).isEqualTo("scaleout/" + MODULES.get(name(object)) + ":" + version);
    }
    for (Map<String, Object> object : kind("Job")) {
      assertThat(String.valueOf(container(object).get("image"))).isEqualTo("scaleout/postgres:" + version);
    }
    // production pulls every image the manifests run from its registry, at the built tag
    Set<String> kubernetesImages = new HashSet<>();
    workloads().forEach(workload -> containers(workload).forEach(c -> kubernetesImages.add(imageName(String.valueOf(c.get("image"))))));
    assertThat(built).containsAll(kubernetesImages);
    Map<String, Map<String, Object>> remapped = new HashMap<>();
    for (Map<String, Object> entry : (List<Map<String, Object>>) load(DEPLOY.resolve("k8s/overlays/production/kustomization.yaml")).get(0).get("images")) {
      remapped.put(String.valueOf(entry.get("name")), entry);
    }
    for (String image : kubernetesImages) {
      Map<String, Object> entry = remapped.get("scaleout/" + image);
      assertThat(entry).as("the production overlay maps scaleout/%s to its registry", image).isNotNull();
      assertThat(String.valueOf(entry.get("newName"))).as("newName of scaleout/%s", image).endsWith("/scaleout/" + image);
      assertThat(String.valueOf(entry.get("newTag"))).as("newTag of scaleout/%s", image).isEqualTo(version);
    }
    for (String overlay : List.of("dev", "production")) {
      String kustomization = Files.readString(DEPLOY.resolve("k8s/overlays/" + overlay + "/kustomization.yaml"));
      Matcher tag = Pattern.compile("newTag: (\\S+)").matcher(kustomization);
      while (tag.find()) {
        assertThat(tag.group(1)).as("overlay %s tags the images build.sh makes", overlay).isEqualTo(version);
      }
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void composeHoldsNoPasswordAndMountsEverySecretFromTheFilesMakeSecretsMakes() throws IOException {
    Map<String, Map<String, Object>> secrets = (Map<String, Map<String, Object>>) compose.get("secrets");
    String makeSecrets = Files.readString(DEPLOY.resolve("compose/make-secrets.sh"));
    assertThat(Files.readString(DEPLOY.resolve("compose/.gitignore"))).contains("secrets/");
    secrets.forEach((name, secret) -> {
      String file = String.valueOf(secret.get("file"));
      assertThat(file).as("secret %s", name).startsWith("./compose/secrets/");
      assertThat(makeSecrets).as("make-secrets.sh makes %s", file).contains(Path.of(file).getFileName().toString());
    });
    composeServices.forEach((name, service) -> {
      Set<String> mounted = new HashSet<>();
      for (Map<String, Object> secret : composeSecrets(name)) {
        assertThat(secrets).as("secret of %s", name).containsKey((String) secret.get("source"));
        mounted.add(secret.get("target") == null ? "/run/secrets/" + secret.get("source") : (String) secret.get("target"));
      }
      composeEnv(name).forEach((variable, value) -> {
        if (isSecretName(variable)) {
          assertThat(variable).as("%s of %s: a secret comes from a file", variable, name).endsWith("_FILE");
          assertThat(mounted).as("%s of %s names a mounted secret", variable, name).contains(String.valueOf(value));
        }
      });
    });
    assertThat(Files.readString(DEPLOY.resolve("docker-compose.yml")))
        .as("no secret from the environment, nor a default for one")
        .doesNotContainPattern("\\$\\{[A-Z_]*(PASSWORD|SECRET|TOKEN|KEY)");
    // Postgres and Redis take their passwords from the secrets too, Redis with requirepass
    assertThat(composeEnv("postgres")).containsEntry("POSTGRES_PASSWORD_FILE", "/run/secrets/postgres-password");
    String redis = String.valueOf(composeServices.get("redis").get("command"));
    assertThat(redis).contains("requirepass $$(cat /run/secrets/redis-password)");
    assertThat(String.valueOf(((Map<String, Object>) composeServices.get("redis").get("healthcheck")).get("test")))
        .contains("REDISCLI_AUTH");
    for (String service : SERVICES.keySet()) {
      assertThat(composeEnv(service)).as(service).containsEntry("REDIS_PASSWORD_FILE", "/run/secrets/redis-password");
    }
  }

  @Test
  void composeServicesSignInToPostgresAsTheirOwnRoles() throws IOException {
    Map<String, List<String>> script = rolesOfTheScript();
    assertThat(script).isEqualTo(DATABASES);
    for (var entry : DATABASES.entrySet()) {
      Map<String, Object> env = composeEnv(entry.getKey());
      String role = entry.getValue().get(0);
      assertThat(env).as(entry.getKey())
          .containsEntry("DB_USER", role)
          .containsEntry("DB_NAME", entry.getValue().get(1))
          .containsEntry("DB_PASSWORD_FILE", "/run/secrets/" + role + "-db-password")
          .doesNotContainKey("DB_PASSWORD");
      assertThat(defaultOf(entry.getKey(), "DB_NAME")).isEqualTo(entry.getValue().get(1));
    }
    assertThat(composeEnv("gateway")).doesNotContainKey("DB_USER");
    // the primary makes the roles at its first start, with the script Kubernetes runs
    assertThat(String.valueOf(composeServices.get("postgres").get("volumes")))
        .contains("./k8s/base/postgres-roles.sh:/docker-entrypoint-initdb.d/");
    assertThat(composeSecrets("postgres").stream().map(s -> s.get("source")))
        .contains("catalog-db-password", "session-db-password", "worker-db-password", "replication-password");
  }

  @Test
  void composeGivesEveryMemberTheClusterTlsFilesAndTheIdentityKey() {
    for (String service : SERVICES.keySet()) {
      Map<String, Object> env = composeEnv(service);
      Map<String, String> targets = new HashMap<>();
      for (Map<String, Object> secret : composeSecrets(service)) {
        targets.put(String.valueOf(secret.get("target")), (String) secret.get("source"));
      }
      TLS_FILES.forEach((variable, file) -> {
        assertThat(env).as("%s of %s", variable, service).containsEntry(variable, TLS_DIR + file);
        assertThat(targets).as("%s of %s is a mounted secret", variable, service).containsKey(TLS_DIR + file);
      });
      assertThat(env).as(service).containsEntry("CLUSTER_IDENTITY_KEY_FILE", "/run/secrets/cluster-identity-key");
    }
  }

  // ------------------------------------------------------------------------------- Kubernetes

  @Test
  @SuppressWarnings("unchecked")
  void kubernetesDeploymentsSetOnlyKnownVariablesProbeTheirManagementPortAndDrainInTime() {
    assertThat(configMaps.get("scaleout-cluster").keySet()).as("the cluster ConfigMap is read by every service")
        .allSatisfy(variable -> assertThat(reads("worker", variable)).as(variable).isTrue());

    int deployments = 0;
    for (Map<String, Object> object : kind("Deployment")) {
      deployments++;
      String name = name(object);
      Map<String, Object> podSpec = podSpec(object);
      Map<String, Object> container = container(object);
      Map<String, String> env = k8sEnv(object);
      assertThat(env.keySet()).as("variables of Deployment %s", name)
          .allSatisfy(variable -> assertThat(reads(SERVICES.get(name), variable)).as(variable).isTrue());
      assertThat(env.get("MGMT_PORT")).isEqualTo(defaultOf(SERVICES.get(name), "MGMT_PORT"));
      Map<String, Integer> ports = ports(container);
      assertThat(ports.get("management")).isEqualTo(Integer.parseInt(env.get("MGMT_PORT")));
      assertThat(ports.get("hazelcast")).isEqualTo(Integer.parseInt(defaultOf(name, "CLUSTER_PORT")));
      assertThat(ports.get("eventbus")).as("the fixed EVENTBUS_PORT").isEqualTo(Integer.parseInt(env.get("EVENTBUS_PORT")));
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

  @Test
  @SuppressWarnings("unchecked")
  void kubernetesHoldsNoPasswordEverySecretIsGeneratedFromFilesAndNoneIsAPlaceholder() throws IOException {
    assertThat(kind("Secret")).as("no Secret with values in the manifests").isEmpty();
    assertThat(Files.readString(DEPLOY.resolve("k8s/base/.gitignore"))).contains("secrets/");
    String makeSecrets = Files.readString(DEPLOY.resolve("compose/make-secrets.sh"));
    generatedFrom.forEach(file -> assertThat(makeSecrets).as("make-secrets.sh makes %s", file).contains(file));
    for (Map<String, Object> workload : workloads()) {
      for (Map<String, Object> variable : (List<Map<String, Object>>) container(workload).get("env")) {
        String key = (String) variable.get("name");
        Map<String, Object> from = (Map<String, Object>) variable.get("valueFrom");
        if (isSecretName(key)) {
          assertThat(from).as("%s of %s comes from a Secret", key, name(workload)).containsKey("secretKeyRef");
        }
        if (from != null && from.containsKey("secretKeyRef")) {
          Map<String, Object> ref = (Map<String, Object>) from.get("secretKeyRef");
          assertThat(generatedSecrets.get((String) ref.get("name"))).as("secret key of %s", key).contains((String) ref.get("key"));
        }
        if (from != null && from.containsKey("configMapKeyRef")) {
          Map<String, Object> ref = (Map<String, Object>) from.get("configMapKeyRef");
          assertThat(configMaps.get((String) ref.get("name"))).as("config map key of %s", key).containsKey((String) ref.get("key"));
        }
      }
    }
    // no placeholder left in any deployment file, nor an administrator password the service would refuse
    List<Path> files;
    try (Stream<Path> walk = Files.walk(DEPLOY)) {
      files = walk.filter(Files::isRegularFile).filter(f -> !f.toString().contains("node_modules") && !f.toString().contains("/secrets/"))
          .filter(f -> f.toString().matches(".*\\.(ya?ml|sh|conf)$")).toList();
    }
    for (Path file : files) {
      String text = Files.readString(file).toLowerCase(Locale.ROOT).replaceAll("[-_ ]", "");
      assertThat(text).as(file.toString()).doesNotContain("changeme").doesNotContain("chooseone");
    }
    for (Map<String, Object> env : composeServices.values().stream().map(DeploymentFilesTest::environmentOf).toList()) {
      env.forEach((variable, value) -> {
        if (variable.contains("PASSWORD") && !variable.endsWith("_FILE")) {
          assertThat(AdminPasswords.refusal(String.valueOf(value))).as(variable).isNull();
        }
      });
    }
  }

  @Test
  void kubernetesServicesSignInToPostgresAsTheirOwnRolesMadeByTheJob() throws IOException {
    assertThat(rolesOfTheScript()).isEqualTo(DATABASES);
    for (Map<String, Object> object : kind("Deployment")) {
      String name = name(object);
      Map<String, String> env = k8sEnv(object);
      List<String> database = DATABASES.get(name);
      if (database == null) {
        assertThat(env).as(name).doesNotContainKey("DB_USER");
        continue;
      }
      assertThat(env).as(name).containsEntry("DB_USER", database.get(0)).containsEntry("DB_NAME", database.get(1));
      assertThat(secretRef(object, "DB_PASSWORD")).as(name).isEqualTo("scaleout-credentials/" + database.get(0) + "-db-password");
    }
    assertThat(configMaps.get("scaleout-datastores")).doesNotContainKey("DB_USER");
    Map<String, Object> job = kind("Job").stream().filter(j -> name(j).equals("postgres-roles")).findFirst().orElseThrow();
    assertThat(String.valueOf(container(job).get("command"))).contains("postgres-roles.sh");
    assertThat(secretRef(job, "PGPASSWORD")).isEqualTo("scaleout-postgres-admin/password");
  }

  @Test
  void kubernetesGivesEveryMemberTheClusterTlsSecretTheIdentityKeyAndTheRedisPassword() {
    for (Map<String, Object> object : kind("Deployment")) {
      String name = name(object);
      Map<String, String> env = k8sEnv(object);
      Map<String, String> mounts = mounts(object);
      TLS_FILES.forEach((variable, file) -> assertThat(env).as("%s of %s", variable, name).containsEntry(variable, TLS_DIR + file));
      assertThat(mounts).as("%s mounts the cluster TLS Secret", name).containsEntry(TLS_DIR.substring(0, TLS_DIR.length() - 1),
          "secret:scaleout-cluster-tls");
      assertThat(readOnlyMounts(object)).contains(TLS_DIR.substring(0, TLS_DIR.length() - 1));
      assertThat(secretRef(object, "CLUSTER_IDENTITY_KEY")).as(name).isEqualTo("scaleout-credentials/cluster-identity-key");
      assertThat(secretRef(object, "REDIS_PASSWORD")).as(name).isEqualTo("scaleout-credentials/redis-password");
    }
    Map<String, String> gateway = k8sEnv(kind("Deployment").stream().filter(d -> name(d).equals("gateway")).findFirst().orElseThrow());
    assertThat(gateway).containsEntry("COOKIE_SECURE", "true");
    assertThat(gateway.get("TRUSTED_PROXIES")).isNotBlank();
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyKubernetesWorkloadMeetsTheRestrictedPodSecurityStandardWithAReadOnlyRoot() {
    Map<String, Object> namespace = kind("Namespace").get(0);
    assertThat((Map<String, String>) ((Map<String, Object>) namespace.get("metadata")).get("labels"))
        .containsEntry("pod-security.kubernetes.io/enforce", "restricted");
    Set<String> allowedVolumes = Set.of("configMap", "secret", "emptyDir", "persistentVolumeClaim", "projected", "downwardAPI",
        "csi", "ephemeral");
    assertThat(workloads()).hasSize(SERVICES.size() + 1);
    for (Map<String, Object> workload : workloads()) {
      String name = name(workload);
      Map<String, Object> pod = (Map<String, Object>) podSpec(workload).get("securityContext");
      assertThat(pod).as("pod securityContext of %s", name).containsEntry("runAsNonRoot", true);
      assertThat(((Number) pod.get("runAsUser")).intValue()).as("uid of %s", name).isPositive();
      assertThat((Map<String, Object>) pod.get("seccompProfile")).as(name).containsEntry("type", "RuntimeDefault");
      for (String field : List.of("hostNetwork", "hostPID", "hostIPC")) {
        assertThat(podSpec(workload)).as(name).doesNotContainKey(field);
      }
      for (Map<String, Object> volume : (List<Map<String, Object>>) podSpec(workload).get("volumes")) {
        assertThat(volume.keySet().stream().filter(k -> !k.equals("name"))).as("volume of %s", name).allMatch(allowedVolumes::contains);
      }
      for (Map<String, Object> container : containers(workload)) {
        Map<String, Object> security = (Map<String, Object>) container.get("securityContext");
        assertThat(security).as("securityContext of container %s", container.get("name"))
            .containsEntry("allowPrivilegeEscalation", false)
            .containsEntry("readOnlyRootFilesystem", true)
            .doesNotContainKey("privileged");
        assertThat((List<String>) ((Map<String, Object>) security.get("capabilities")).get("drop")).contains("ALL");
        assertThat((Map<String, Object>) security.get("capabilities")).doesNotContainKey("add");
        ports(container); // no host port
      }
      // the root is read-only: /tmp and every folder the service writes are volumes
      Map<String, String> mounts = mounts(workload);
      assertThat(mounts.get("/tmp")).as("/tmp of %s", name).isEqualTo("emptyDir");
      String workspace = kind("Deployment").contains(workload) ? k8sEnv(workload).get("WORKSPACE_DIR") : null;
      if (workspace != null) {
        assertThat(mounts.get(workspace)).as("workspace of %s", name).isEqualTo("persistentVolumeClaim:scaleout-workspace");
      }
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void networkPoliciesLetEachPortBeReachedOnlyByWhomItServes() {
    List<Map<String, Object>> policies = kind("NetworkPolicy");
    Map<String, Object> deny = policies.stream().filter(p -> name(p).equals("default-deny-ingress")).findFirst().orElseThrow();
    assertThat((Map<String, Object>) spec(deny).get("podSelector")).as("every pod of the namespace").isEmpty();
    assertThat((List<String>) spec(deny).get("policyTypes")).containsExactly("Ingress");
    assertThat(spec(deny)).doesNotContainKey("ingress");
    for (Map<String, Object> policy : policies) {
      for (Map<String, Object> rule : (List<Map<String, Object>>) spec(policy).getOrDefault("ingress", List.of())) {
        assertThat((List<Object>) rule.get("from")).as("a rule of %s names who may come in", name(policy)).isNotEmpty();
      }
    }
    Map<String, Object> member = Map.of("podSelector", Map.of("matchLabels", Map.of(MEMBER_LABEL, "true")));
    Map<String, Object> monitoring = Map.of("namespaceSelector", Map.of("matchLabels", Map.of("scaleout.io/monitoring", "true")));
    Map<String, Object> ingressController = Map.of("namespaceSelector",
        Map.of("matchLabels", Map.of("kubernetes.io/metadata.name", "ingress-nginx")));
    for (Map<String, Object> deployment : kind("Deployment")) {
      Map<String, String> labels = podLabels(deployment);
      assertThat(labels).as(name(deployment)).containsEntry(MEMBER_LABEL, "true");
      Map<String, Integer> ports = ports(container(deployment));
      for (var port : ports.entrySet()) {
        List<Object> sources = sources(policies, labels, port.getKey(), port.getValue());
        switch (port.getKey()) {
          case "hazelcast", "eventbus" -> assertThat(sources).as("%s of %s", port.getKey(), name(deployment)).containsExactly(member);
          case "management" -> assertThat(sources).as("management of %s", name(deployment))
              .containsExactlyInAnyOrder(member, monitoring);
          case "http" -> assertThat(sources).as("http of %s", name(deployment)).containsExactly(ingressController);
          default -> throw new AssertionError("port " + port.getKey() + " of " + name(deployment) + " has no promise here");
        }
      }
    }
    // the headless Service of the members selects the members only
    Map<String, Object> hazelcast = kind("Service").stream().filter(s -> name(s).equals("scaleout-hazelcast")).findFirst().orElseThrow();
    assertThat((Map<String, String>) spec(hazelcast).get("selector")).containsExactly(Map.entry(MEMBER_LABEL, "true"));
    // datastores run in this namespace: their client ports for the app's own pods only
    Map<String, Object> app = Map.of("podSelector", Map.of("matchLabels", Map.of("app.kubernetes.io/part-of", "scaleout")));
    Map<String, Integer> datastores = Map.of("postgres", 5432, "postgres-replica", 5432, "redis", 6379, "kafka", 9092);
    datastores.forEach((datastore, port) -> {
      List<String> kin = datastore.startsWith("postgres") ? List.of("postgres", "postgres-replica") : List.of(datastore);
      Map<String, Object> itself = Map.of("podSelector", Map.of("matchExpressions",
          List.of(Map.of("key", "app.kubernetes.io/name", "operator", "In", "values", kin))));
      assertThat(sources(policies, Map.of("app.kubernetes.io/name", datastore), null, port)).as("%s:%d", datastore, port)
          .contains(app).allSatisfy(source -> assertThat(source).isIn(app, itself));
    });
  }

  @Test
  @SuppressWarnings("unchecked")
  void theGatewayIsPublishedByAnIngressOverTls() {
    Map<String, Object> ingress = kind("Ingress").get(0);
    assertThat((List<Object>) spec(ingress).get("tls")).isNotEmpty();
    Map<String, Object> rule = ((List<Map<String, Object>>) spec(ingress).get("rules")).get(0);
    Map<String, Object> path = ((List<Map<String, Object>>) ((Map<String, Object>) rule.get("http")).get("paths")).get(0);
    Map<String, Object> backend = (Map<String, Object>) ((Map<String, Object>) path.get("backend")).get("service");
    assertThat(backend).containsEntry("name", "gateway");
    Map<String, Object> service = kind("Service").stream().filter(s -> name(s).equals("gateway")).findFirst().orElseThrow();
    List<Map<String, Object>> servicePorts = (List<Map<String, Object>>) spec(service).get("ports");
    assertThat(servicePorts).anySatisfy(port -> {
      assertThat(port.get("name")).isEqualTo(((Map<String, Object>) backend.get("port")).get("name"));
      assertThat(port.get("targetPort")).isEqualTo("http");
    });
  }

  // ---------------------------------------------------------------------------------- helpers

  /** Who may reach a pod of these labels on that port (by name or number), over every policy that selects it. */
  @SuppressWarnings("unchecked")
  private static List<Object> sources(List<Map<String, Object>> policies, Map<String, String> labels, String portName, int port) {
    List<Object> sources = new ArrayList<>();
    for (Map<String, Object> policy : policies) {
      if (!selects((Map<String, Object>) spec(policy).get("podSelector"), labels)) {
        continue;
      }
      for (Map<String, Object> rule : (List<Map<String, Object>>) spec(policy).getOrDefault("ingress", List.of())) {
        List<Map<String, Object>> rulePorts = (List<Map<String, Object>>) rule.get("ports");
        boolean matches = rulePorts == null || rulePorts.stream().anyMatch(p ->
            Objects.equals(p.get("port"), portName) || Objects.equals(p.get("port"), port));
        if (matches) {
          sources.addAll((List<Object>) rule.get("from"));
        }
      }
    }
    return sources;
  }

  @SuppressWarnings("unchecked")
  private static boolean selects(Map<String, Object> selector, Map<String, String> labels) {
    Map<String, String> match = (Map<String, String>) selector.getOrDefault("matchLabels", Map.of());
    if (!labels.entrySet().containsAll(match.entrySet())) {
      return false;
    }
    for (Map<String, Object> expression : (List<Map<String, Object>>) selector.getOrDefault("matchExpressions", List.of())) {
      assertThat(expression.get("operator")).isEqualTo("In");
      if (!((List<String>) expression.get("values")).contains(labels.get((String) expression.get("key")))) {
        return false;
      }
    }
    return true;
  }

  /** The roles and databases of deploy/k8s/base/postgres-roles.sh: role → [role, database]. */
  private static Map<String, List<String>> rolesOfTheScript() throws IOException {
    Matcher loop = Pattern.compile("for owner in ([a-z: ]+); do").matcher(Files.readString(DEPLOY.resolve("k8s/base/postgres-roles.sh")));
    assertThat(loop.find()).isTrue();
    Map<String, List<String>> roles = new HashMap<>();
    for (String pair : loop.group(1).trim().split(" ")) {
      String[] parts = pair.split(":");
      roles.put(parts[0], List.of(parts[0], parts[1]));
    }
    return roles;
  }

  /**
   * Whether a variable holds a secret, or names the file of one (the TLS paths and a folder of
   * secrets name places, not secrets).
   */
  private static boolean isSecretName(String variable) {
    return !TLS_FILES.containsKey(variable) && !variable.endsWith("_DIR") && (variable.contains("PASSWORD") || variable.endsWith("_KEY")
        || variable.endsWith("_KEY_FILE") || variable.contains("SECRET") || variable.contains("TOKEN"));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> environmentOf(Map<String, Object> service) {
    return (Map<String, Object>) service.getOrDefault("environment", Map.of());
  }

  private static Map<String, Object> composeEnv(String service) {
    return environmentOf(composeServices.get(service));
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> composeSecrets(String service) {
    List<Map<String, Object>> secrets = new ArrayList<>();
    for (Object secret : (List<Object>) composeServices.get(service).getOrDefault("secrets", List.of())) {
      secrets.add(secret instanceof String source ? Map.of("source", source) : (Map<String, Object>) secret);
    }
    return secrets;
  }

  private static List<Map<String, Object>> kind(String kind) {
    return k8s.stream().filter(object -> kind.equals(object.get("kind"))).toList();
  }

  /** The Deployments and the Job: everything that runs a pod. */
  private static List<Map<String, Object>> workloads() {
    return k8s.stream().filter(object -> List.of("Deployment", "Job").contains(object.get("kind"))).toList();
  }

  @SuppressWarnings("unchecked")
  private static String name(Map<String, Object> object) {
    return (String) ((Map<String, Object>) object.get("metadata")).get("name");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec(Map<String, Object> object) {
    return (Map<String, Object>) object.get("spec");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> podSpec(Map<String, Object> workload) {
    return (Map<String, Object>) ((Map<String, Object>) spec(workload).get("template")).get("spec");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> podLabels(Map<String, Object> workload) {
    return (Map<String, String>) ((Map<String, Object>) ((Map<String, Object>) spec(workload).get("template")).get("metadata")).get("labels");
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> containers(Map<String, Object> workload) {
    List<Map<String, Object>> all = new ArrayList<>((List<Map<String, Object>>) podSpec(workload).get("containers"));
    all.addAll((List<Map<String, Object>>) podSpec(workload).getOrDefault("initContainers", List.of()));
    return all;
  }

  private static Map<String, Object> container(Map<String, Object> workload) {
    return containers(workload).get(0);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Integer> ports(Map<String, Object> container) {
    Map<String, Integer> ports = new HashMap<>();
    for (Map<String, Object> port : (List<Map<String, Object>>) container.getOrDefault("ports", List.of())) {
      assertThat(port).as("no host port").doesNotContainKey("hostPort");
      ports.put((String) port.get("name"), (Integer) port.get("containerPort"));
    }
    return ports;
  }

  /** The environment of a Deployment's container as a service sees it: ConfigMaps, values, and secretKeyRef as "secret". */
  @SuppressWarnings("unchecked")
  private static Map<String, String> k8sEnv(Map<String, Object> workload) {
    Map<String, Object> container = container(workload);
    Map<String, String> env = new HashMap<>();
    for (Map<String, Object> source : (List<Map<String, Object>>) container.getOrDefault("envFrom", List.of())) {
      String configMap = (String) ((Map<String, Object>) source.get("configMapRef")).get("name");
      assertThat(configMaps).containsKey(configMap);
      env.putAll(configMaps.get(configMap));
    }
    for (Map<String, Object> variable : (List<Map<String, Object>>) container.get("env")) {
      Map<String, Object> from = (Map<String, Object>) variable.get("valueFrom");
      String value = String.valueOf(variable.get("value"));
      if (from != null && from.containsKey("configMapKeyRef")) {
        Map<String, Object> ref = (Map<String, Object>) from.get("configMapKeyRef");
        value = configMaps.get((String) ref.get("name")).get((String) ref.get("key"));
      }
      env.put((String) variable.get("name"), value);
    }
    return env;
  }

  /** "secret/key" of the variable's secretKeyRef, or null. */
  @SuppressWarnings("unchecked")
  private static String secretRef(Map<String, Object> workload, String variable) {
    for (Map<String, Object> entry : (List<Map<String, Object>>) container(workload).get("env")) {
      Map<String, Object> from = (Map<String, Object>) entry.get("valueFrom");
      if (variable.equals(entry.get("name")) && from != null && from.containsKey("secretKeyRef")) {
        Map<String, Object> ref = (Map<String, Object>) from.get("secretKeyRef");
        return ref.get("name") + "/" + ref.get("key");
      }
    }
    return null;
  }

  /** mount path → what is mounted there: "emptyDir", "secret:NAME", "persistentVolumeClaim:NAME", "configMap:NAME". */
  @SuppressWarnings("unchecked")
  private static Map<String, String> mounts(Map<String, Object> workload) {
    Map<String, String> volumes = new HashMap<>();
    for (Map<String, Object> volume : (List<Map<String, Object>>) podSpec(workload).getOrDefault("volumes", List.of())) {
      String kind = volume.keySet().stream().filter(k -> !k.equals("name")).findFirst().orElseThrow();
      Map<String, Object> source = (Map<String, Object>) volume.get(kind);
      Object named = source == null ? null
          : Stream.of("secretName", "claimName", "name").map(source::get).filter(Objects::nonNull).findFirst().orElse(null);
      volumes.put((String) volume.get("name"), named == null ? kind : kind + ":" + named);
    }
    Map<String, String> mounts = new HashMap<>();
    for (Map<String, Object> mount : (List<Map<String, Object>>) container(workload).getOrDefault("volumeMounts", List.of())) {
      mounts.put((String) mount.get("mountPath"), volumes.get((String) mount.get("name")));
    }
    return mounts;
  }

  @SuppressWarnings("unchecked")
  private static Set<String> readOnlyMounts(Map<String, Object> workload) {
    Set<String> paths = new HashSet<>();
    for (Map<String, Object> mount : (List<Map<String, Object>>) container(workload).getOrDefault("volumeMounts", List.of())) {
      if (Boolean.TRUE.equals(mount.get("readOnly"))) {
        paths.add((String) mount.get("mountPath"));
      }
    }
    return paths;
  }

  private static long preStopSleep(Map<String, Object> container) {
    @SuppressWarnings("unchecked")
    Map<String, Object> exec = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) container.get("lifecycle"))
        .get("preStop")).get("exec");
    @SuppressWarnings("unchecked")
    Matcher sleep = Pattern.compile("sleep (\\d+)").matcher(String.join(" ", (List<String>) exec.get("command")));
    assertThat(sleep.find()).isTrue();
    return Long.parseLong(sleep.group(1));
  }

  /** The image a compose service runs. */
  private static String imageOf(Map<String, Object> service) {
    return String.valueOf(service.get("image"));
  }

  /** scaleout/NAME:TAG → NAME. */
  private static String imageName(String image) {
    assertThat(image).matches("scaleout/[a-z-]+:.+");
    return image.replaceFirst("^scaleout/", "").replaceFirst(":.*$", "");
  }

  /**
   * The images build.sh makes, as name → Dockerfile: its `image NAME DOCKERFILE` calls, where
   * "$module" stands for each of its modules.
   */
  private static Map<String, Path> builtImages() throws IOException {
    Matcher call = Pattern.compile("(?m)^\\s*image (\\S+) (\\S+\\.Dockerfile) ").matcher(Files.readString(DEPLOY.resolve("docker/build.sh")));
    Map<String, Path> images = new HashMap<>();
    while (call.find()) {
      Path dockerfile = DEPLOY.resolve("docker/" + call.group(2));
      assertThat(dockerfile).exists();
      if (call.group(1).equals("\"$module\"")) {
        buildScriptModules().keySet().forEach(module -> images.put(module, dockerfile));
      } else {
        images.put(call.group(1), dockerfile);
      }
    }
    assertThat(images).containsKeys("jre", "gateway", "catalog-service", "session-service", "worker");
    return images;
  }

  /** build.sh's modules=(module:managementPort ...), as module → port. */
  private static Map<String, String> buildScriptModules() throws IOException {
    Matcher list = Pattern.compile("(?m)^modules=\\(([^)]*)\\)").matcher(Files.readString(DEPLOY.resolve("docker/build.sh")));
    assertThat(list.find()).as("build.sh lists its modules").isTrue();
    Map<String, String> modules = new HashMap<>();
    for (String entry : list.group(1).trim().split("\\s+")) {
      modules.put(entry.substring(0, entry.indexOf(':')), entry.substring(entry.indexOf(':') + 1));
    }
    assertThat(modules.keySet()).containsExactlyInAnyOrderElementsOf(MODULES.values());
    return modules;
  }

  /** The project's version without -SNAPSHOT: the images' tag. */
  private static String projectVersion() throws IOException {
    Matcher version = Pattern.compile("(?m)^  <version>([^<]+)</version>").matcher(Files.readString(DEPLOY.resolve("../pom.xml")));
    assertThat(version.find()).isTrue();
    return version.group(1).replace("-SNAPSHOT", "");
  }

  /** Whether an IPv4 address lies in a CIDR range. */
  private static boolean inRange(String address, String cidr) {
    int bits = Integer.parseInt(cidr.substring(cidr.indexOf('/') + 1));
    long mask = bits == 0 ? 0 : (0xFFFFFFFFL << (32 - bits)) & 0xFFFFFFFFL;
    return (ipv4(address) & mask) == (ipv4(cidr.substring(0, cidr.indexOf('/'))) & mask);
  }

  private static long ipv4(String address) {
    long value = 0;
    for (String part : address.split("\\.")) {
      value = value << 8 | Integer.parseInt(part);
    }
    return value;
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
