package io.scaleout.common.config;

/** A configuration value that cannot be used; the message names the variable so an operator can fix it. */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }
}
