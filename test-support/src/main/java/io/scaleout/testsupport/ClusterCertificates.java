package io.scaleout.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Throw-away certificate authorities for the event bus's mutual TLS, made once per test JVM by the
 * project's own {@code deploy/local/cluster-certs.sh} (the script the local cluster uses): the
 * cluster's authority with a member certificate, and, for tests of a rogue member, a stranger
 * authority no member trusts.
 */
public final class ClusterCertificates {
  private static final Map<String, ClusterCertificates> MADE = new ConcurrentHashMap<>();

  private final Path dir;

  private ClusterCertificates(Path dir) {
    this.dir = dir;
  }

  /** The authority every test cluster's members trust, with one member certificate. */
  public static ClusterCertificates cluster() {
    return MADE.computeIfAbsent("cluster", ClusterCertificates::make);
  }

  /** An authority of its own: its certificates are valid, but no member of a test cluster trusts them. */
  public static ClusterCertificates stranger() {
    return MADE.computeIfAbsent("stranger", ClusterCertificates::make);
  }

  public Path ca() {
    return dir.resolve("ca.crt");
  }

  public Path cert() {
    return dir.resolve("member.crt");
  }

  public Path key() {
    return dir.resolve("member.key");
  }

  /** The settings of a member presenting this authority's member certificate. */
  public Map<String, String> environment() {
    return Map.of("CLUSTER_TLS", "required", "CLUSTER_TLS_CERT", cert().toString(),
        "CLUSTER_TLS_KEY", key().toString(), "CLUSTER_TLS_CA", ca().toString());
  }

  private static ClusterCertificates make(String name) {
    try {
      Path dir = Files.createTempDirectory("scaleout-" + name + "-tls");
      List<String> command = new ArrayList<>(List.of("bash", script().toString(), dir.toString()));
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new IllegalStateException("cluster-certs.sh failed: "
            + new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
      }
      return new ClusterCertificates(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** deploy/local/cluster-certs.sh of the checkout the tests run in (Maven runs them in a module's directory). */
  private static Path script() {
    for (Path at = Path.of("").toAbsolutePath(); at != null; at = at.getParent()) {
      Path script = at.resolve("deploy/local/cluster-certs.sh");
      if (Files.isRegularFile(script)) {
        return script;
      }
    }
    throw new IllegalStateException("deploy/local/cluster-certs.sh not found above " + Path.of("").toAbsolutePath());
  }
}
