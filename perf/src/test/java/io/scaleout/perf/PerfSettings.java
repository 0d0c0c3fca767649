package io.scaleout.perf;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.http.HttpProtocolBuilder;

import java.nio.file.Files;
import java.nio.file.Path;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;

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
  /**
   * Seconds of the same traffic before the measured run, in neither the report nor the
   * assertions: a cluster just started still compiles its hot paths, opens its connections and
   * fills its caches (its first second answered some 25 times slower than the rest).
   */
  final int warmUpSeconds = Integer.getInteger("warmUp", 10);
  /** Products the run makes sure exist (created through the API when missing). */
  final int products = Integer.getInteger("products", 200);
  final double maxErrorPercent = Double.parseDouble(System.getProperty("maxErrorPercent", "1"));
  final int p99Millis = Integer.getInteger("p99Millis", 500);
  final String adminEmail = System.getProperty("adminEmail", System.getenv().getOrDefault("ADMIN_EMAIL", "admin@scaleout.local"));

  /** @param defaultRate the simulation's arrival rate unless -Drate says otherwise */
  PerfSettings(double defaultRate) {
    this.rate = Double.parseDouble(System.getProperty("rate", Double.toString(defaultRate)));
  }

  /**
   * {@code rate} new users a second running {@code chain} for the run's duration, after a warm-up
   * of the same chain at the same rate whose requests are silent (not recorded). The scenario of
   * the warm-up is named {@code name + " warm-up"}.
   */
  PopulationBuilder warmedUp(String name, ChainBuilder chain, double rate, HttpProtocolBuilder protocol) {
    return warmedUp(name, chain, chain, rate, protocol);
  }

  /**
   * The same with a chain of its own for the warm-up: silencing requests leaves groups recorded,
   * so a chain with groups names its warm-up groups apart.
   */
  PopulationBuilder warmedUp(String name, ChainBuilder warmUp, ChainBuilder chain, double rate, HttpProtocolBuilder protocol) {
    PopulationBuilder measured = scenario(name).exec(chain).injectOpen(constantUsersPerSec(rate).during(durationSeconds))
        .protocols(protocol);
    if (warmUpSeconds <= 0) {
      return measured;
    }
    return scenario(name + " warm-up").exec(warmUp).injectOpen(constantUsersPerSec(rate).during(warmUpSeconds))
        .protocols(protocol.silentUri(".*"))
        .andThen(measured);
  }

  /**
   * Asked for only when the run signs the administrator in (to create missing products, to write):
   * {@code -DadminPassword}, else ADMIN_PASSWORD, else what deploy/local/up.sh made.
   */
  String adminPassword() {
    String fromProperty = System.getProperty("adminPassword");
    if (fromProperty != null && !fromProperty.isEmpty()) {
      return fromProperty;
    }
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
