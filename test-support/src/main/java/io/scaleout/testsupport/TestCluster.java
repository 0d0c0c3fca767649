package io.scaleout.testsupport;

import io.scaleout.common.api.CallerSeal;
import io.scaleout.common.cluster.ClusterBootstrap;
import io.scaleout.common.cluster.ClusterMac;
import io.scaleout.common.config.ClusterTrust;
import io.scaleout.common.config.NodeConfig;
import io.scaleout.common.config.Settings;
import io.scaleout.common.runtime.ServiceRuntime;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real Hazelcast cluster of its own for one test class: a unique cluster name, Hazelcast ports
 * from 5801 (clear of a local cluster on 5701+), and nodes either in this JVM (several Vert.x
 * instances, each a separate Hazelcast member) or as child JVMs. Closing it stops every node.
 */
public final class TestCluster implements AutoCloseable {
  public static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final int HAZELCAST_BASE_PORT = 5801;

  private final String name = "test-" + UUID.randomUUID().toString().substring(0, 8);
  private final byte[] identityKey = randomKey();
  private final AtomicInteger instances = new AtomicInteger();
  private final List<ServiceRuntime> runtimes = new CopyOnWriteArrayList<>();
  private final List<Vertx> clients = new CopyOnWriteArrayList<>();
  private final List<ServiceProcess> processes = new CopyOnWriteArrayList<>();

  public String name() {
    return name;
  }

  /** Signs and checks callers as this cluster's members do (the same identity key). */
  public CallerSeal callerSeal() {
    return new CallerSeal(new ClusterMac(identityKey), Duration.ofSeconds(30), System::currentTimeMillis);
  }

  private static byte[] randomKey() {
    byte[] key = new byte[ClusterTrust.MIN_KEY_BYTES];
    new SecureRandom().nextBytes(key);
    return key;
  }

  /**
   * Environment of a node of this cluster: the cluster settings (its TLS certificates and identity
   * key among them), a free management port, an id.
   */
  public Map<String, String> environment(String service, Map<String, String> extra) {
    Map<String, String> env = new HashMap<>();
    env.put("CLUSTER_NAME", name);
    env.put("CLUSTER_PORT", Integer.toString(HAZELCAST_BASE_PORT));
    env.put("CLUSTER_PORT_COUNT", "20");
    env.put("CLUSTER_MEMBERS", "127.0.0.1");
    env.putAll(ClusterCertificates.cluster().environment());
    env.put("CLUSTER_IDENTITY_KEY", Base64.getEncoder().encodeToString(identityKey));
    env.put("MGMT_PORT", Integer.toString(FreePorts.next()));
    env.put("INSTANCE_ID", service + "-" + instances.incrementAndGet());
    env.put("SHUTDOWN_GRACE_MS", "0");
    // each test cluster draws on rate-limit buckets of its own
    env.put("RATE_LIMIT_KEY_PREFIX", name + ":rl:");
    env.putAll(extra);
    return env;
  }

  public Settings settings(String defaults, String service, Map<String, String> extra) {
    return Settings.load(defaults, environment(service, extra));
  }

  /** A full service node in this JVM, started with the given defaults file and module. */
  public ServiceRuntime startNode(String defaults, String service, Map<String, String> extra, ServiceRuntime.Module module) {
    Settings settings = settings(defaults, service, extra);
    ServiceRuntime runtime = Await.result(
        ServiceRuntime.start(settings, NodeConfig.from(service, settings), module), START_TIMEOUT);
    runtimes.add(runtime);
    return runtime;
  }

  /** A test node in this JVM named {@code service}, answering its ping and running {@code module}. */
  public ServiceRuntime startTestNode(String service, ServiceRuntime.Module module) {
    return startNode("testnode", service, Map.of(), module);
  }

  /** A bare clustered Vert.x member, for sending requests as a client would. */
  public Vertx startClient() {
    return startClient(Map.of());
  }

  /** A bare clustered member with these settings over the cluster's (e.g. another certificate, or none). */
  public Vertx startClient(Map<String, String> extra) {
    Settings settings = settings("testnode", "client", extra);
    Vertx vertx = Await.result(ClusterBootstrap.start(NodeConfig.from("client", settings).cluster()), START_TIMEOUT);
    clients.add(vertx);
    return vertx;
  }

  /** A test node in a child JVM ({@link ServiceNodeMain}), ready when this returns. */
  public ServiceProcess spawnTestNode(String service, Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(extra);
    env.put("TEST_SERVICE", service);
    return spawn(ServiceNodeMain.class.getName(), service, env);
  }

  /** A test node in a child JVM inside one of the test's network hosts, bound to its address, ready when this returns. */
  public ServiceProcess spawnTestNodeInside(NetworkHosts.Host host, String service, Map<String, String> extra) {
    Map<String, String> env = environment(service, extra);
    env.put("TEST_SERVICE", service);
    env.put("CLUSTER_HOST", host.address());
    env.put("EVENTBUS_HOST", host.address());
    ServiceProcess process = ServiceProcess.startInside(host, env.get("INSTANCE_ID"), ServiceNodeMain.class.getName(), env);
    processes.add(process);
    return process.awaitReady(START_TIMEOUT);
  }

  /** Any main class of the test classpath as a child JVM member of this cluster. */
  public ServiceProcess spawn(String mainClass, String service, Map<String, String> extra) {
    Map<String, String> env = environment(service, extra);
    ServiceProcess process = ServiceProcess.start(env.get("INSTANCE_ID"), mainClass, env);
    processes.add(process);
    return process.awaitReady(START_TIMEOUT);
  }

  @Override
  public void close() {
    processes.forEach(ServiceProcess::close);
    List<Future<Void>> closing = new java.util.ArrayList<>();
    runtimes.forEach(r -> closing.add(r.shutdown()));
    clients.forEach(v -> closing.add(v.close()));
    try {
      Await.result(Future.join(closing), Duration.ofSeconds(60));
    } catch (IllegalStateException e) {
      // a node that failed to close is still gone with the JVM; the test's outcome is already known
    }
  }
}
