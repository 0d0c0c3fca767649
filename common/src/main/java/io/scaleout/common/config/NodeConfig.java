package io.scaleout.common.config;

import io.scaleout.common.balance.BalancerConfig;

import java.time.Duration;
import java.util.UUID;

/**
 * What every service process needs regardless of its domain: identity, cluster membership,
 * management port and shutdown timing.
 *
 * @param service        service name (gateway, catalog, session, worker)
 * @param instanceId     id reported by /api/ping and in logs; generated when INSTANCE_ID is empty
 * @param managementHost host of the management HTTP server (health, metrics)
 * @param managementPort port of the management HTTP server, distinct per instance on one host
 * @param shutdownGrace  how long the node reports not-ready before it stops taking work, so load
 *                       balancers and peers notice
 * @param drainTimeout   upper bound on waiting for in-flight work during shutdown
 * @param flushDelay     pause between the end of in-flight work and closing the event bus, so the
 *                       last replies (possibly on a connection still being opened) reach callers
 * @param logLevel       root log level
 * @param balancer       how this node announces itself and balances its requests over other services' instances
 */
public record NodeConfig(
    String service,
    String instanceId,
    ClusterConfig cluster,
    String managementHost,
    int managementPort,
    Duration shutdownGrace,
    Duration drainTimeout,
    Duration flushDelay,
    String logLevel,
    BalancerConfig balancer) {

  public static NodeConfig from(String service, Settings s) {
    String instance = s.optionalString("INSTANCE_ID");
    if (instance.isEmpty()) {
      instance = service + "-" + UUID.randomUUID().toString().substring(0, 8);
    } else if (!instance.matches("[A-Za-z0-9._-]{1,64}")) {
      throw new ConfigException("Invalid configuration: INSTANCE_ID='" + instance
          + "' must be 1..64 characters of letters, digits, '.', '_' or '-'");
    }
    String level = s.string("LOG_LEVEL").toUpperCase();
    if (!level.matches("TRACE|DEBUG|INFO|WARN|ERROR")) {
      throw new ConfigException("Invalid configuration: LOG_LEVEL='" + level + "' must be one of TRACE, DEBUG, INFO, WARN, ERROR");
    }
    return new NodeConfig(
        service,
        instance,
        ClusterConfig.from(s),
        s.string("MGMT_HOST"),
        s.port("MGMT_PORT"),
        s.millis("SHUTDOWN_GRACE_MS", 0, 120_000),
        s.millis("SHUTDOWN_DRAIN_TIMEOUT_MS", 0, 600_000),
        s.millis("SHUTDOWN_FLUSH_MS", 0, 60_000),
        level,
        BalancerConfig.from(s));
  }
}
