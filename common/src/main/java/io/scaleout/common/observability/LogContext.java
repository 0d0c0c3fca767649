package io.scaleout.common.observability;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;

/** Sets the fields every JSON log line of this process carries: service, instance and node. */
public final class LogContext {
  private LogContext() {
  }

  public static void identify(String service, String instance, String level) {
    LoggerContext context = loggerContext();
    if (context == null) {
      return;
    }
    context.putProperty("service", service);
    context.putProperty("instance", instance);
    context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.toLevel(level, Level.INFO));
  }

  public static void node(String nodeId) {
    LoggerContext context = loggerContext();
    if (context != null) {
      context.putProperty("node", nodeId);
    }
  }

  /** Writes out the lines still queued and stops logging: the last step of a process's shutdown. */
  public static void stop() {
    LoggerContext context = loggerContext();
    if (context != null) {
      context.stop();
    }
  }

  private static LoggerContext loggerContext() {
    return LoggerFactory.getILoggerFactory() instanceof LoggerContext context ? context : null;
  }
}
