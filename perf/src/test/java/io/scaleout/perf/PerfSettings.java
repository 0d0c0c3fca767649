package io.scaleout.perf;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The knobs of every simulation, as system properties ({@code -Dname=value} on the mvn command
 * line): where the platform is, the open-model arrival rate and duration, the data size, and the
 * limits that fail the run.
 */
final class PerfSettings {
  final String baseUrl = System.getProperty("baseUrl", "http://127.0.0.1:8080");
  /** New users (scenario starts) per second. */
  final double rate;
  final int durationSeconds = Integer.getInteger("duration", 30);
  /** Products the run makes sure exist (created through the API when missing). */
  final int products = Integer.getInteger("products", 200);
  final double maxErrorPercent = Double.parseDouble(System.getProperty("maxErrorPercent", "1"));
  final int p99Millis = Integer.getInteger("p99Millis", 500);
  final String adminEmail = System.getProperty("adminEmail", System.getenv().getOrDefault("ADMIN_EMAIL", "admin@scaleout.local"));
  final String adminPassword = System.getProperty("adminPassword", adminPasswordOfLocalCluster());

  /** @param defaultRate the simulation's arrival rate unless -Drate says otherwise */
  PerfSettings(double defaultRate) {
    this.rate = Double.parseDouble(System.getProperty("rate", Double.toString(defaultRate)));
  }

  /** What deploy/local/up.sh made, unless ADMIN_PASSWORD says otherwise. */
  private static String adminPasswordOfLocalCluster() {
    String fromEnvironment = System.getenv("ADMIN_PASSWORD");
    if (fromEnvironment != null && !fromEnvironment.isEmpty()) {
      return fromEnvironment;
    }
    Path file = Path.of(System.getProperty("user.home"), ".local", "state", "scaleout", "admin-password");
    try {
      return Files.readString(file).trim();
    } catch (java.io.IOException e) {
      throw new IllegalStateException("No administrator password: pass -DadminPassword=... or ADMIN_PASSWORD (read " + file + ")", e);
    }
  }
}
