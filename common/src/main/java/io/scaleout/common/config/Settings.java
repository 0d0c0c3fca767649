package io.scaleout.common.config;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Raw settings of one process: the JSON defaults files (keys are the environment variable names),
 * overridden by environment variables of the same name, or by the content of the file that the
 * variable's name with {@code _FILE} appended names ({@code DB_PASSWORD_FILE=/run/secrets/db}: a
 * secret mounted as a file, as docker-compose and Kubernetes do, never in the environment). Typed
 * getters validate once at start-up and throw {@link ConfigException} naming the variable, so a
 * bad value stops the process early.
 */
public final class Settings {
  static final String COMMON_DEFAULTS = "scaleout/common-defaults.json";
  private static final Pattern SECRET = Pattern.compile("PASSWORD|SECRET|TOKEN|CREDENTIAL|_KEY$|_KEY_ACCEPTED$");
  /** Appended to a variable's name: the variable whose value is the path of a file holding the value. */
  public static final String FILE_SUFFIX = "_FILE";

  private final Map<String, String> values;
  /** Where each value that is not a default came from, for messages. */
  private final Map<String, String> sources;

  private Settings(Map<String, String> values, Map<String, String> sources) {
    this.values = values;
    this.sources = sources;
  }

  /**
   * Loads the common defaults, then {@code scaleout/<service>-defaults.json}, then the environment:
   * {@code KEY}, or the content of the file {@code KEY_FILE} names (surrounding whitespace and the
   * final newline dropped, as of a value from the environment). Both at once, or a file that cannot
   * be read, is a {@link ConfigException}.
   */
  public static Settings load(String service, Map<String, String> environment) {
    Map<String, String> values = new LinkedHashMap<>();
    readDefaults(COMMON_DEFAULTS, values);
    readDefaults("scaleout/" + service + "-defaults.json", values);
    Map<String, String> sources = new HashMap<>();
    for (String key : values.keySet()) {
      String env = environment.get(key);
      String file = environment.get(key + FILE_SUFFIX);
      if (env != null && file != null) {
        throw new ConfigException("Invalid configuration: " + key + " and " + key + FILE_SUFFIX
            + " are both set (environment variables); set one of them");
      }
      if (env != null) {
        values.put(key, env.trim());
        sources.put(key, "environment variable");
      } else if (file != null) {
        values.put(key, readValueFile(key, file.trim()));
        sources.put(key, "file of " + key + FILE_SUFFIX);
      }
    }
    return new Settings(Map.copyOf(values), Map.copyOf(sources));
  }

  private static String readValueFile(String key, String path) {
    try {
      return Files.readString(Path.of(path), StandardCharsets.UTF_8).trim();
    } catch (IOException | InvalidPathException | SecurityException e) {
      throw new ConfigException("Invalid configuration: " + key + FILE_SUFFIX + "='" + path
          + "' (environment variable) must name a readable file: " + e);
    }
  }

  private static void readDefaults(String resource, Map<String, String> into) {
    try (InputStream in = Settings.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("Missing defaults file on the classpath: " + resource);
      }
      JsonObject json = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      json.forEach(entry -> into.put(entry.getKey(), entry.getValue() == null ? "" : entry.getValue().toString()));
    } catch (IOException | DecodeException e) {
      throw new IllegalStateException("Unreadable defaults file " + resource + ": " + e.getMessage(), e);
    }
  }

  /** Every known variable with its effective value, secrets masked: for the start-up log line. */
  public Map<String, String> describe() {
    Map<String, String> shown = new java.util.TreeMap<>();
    values.forEach((key, value) -> shown.put(key, SECRET.matcher(key).find() && !value.isEmpty() ? "***" : value));
    return shown;
  }

  public String string(String key) {
    String value = raw(key);
    if (value.isEmpty()) {
      throw invalid(key, value, "must not be empty");
    }
    return value;
  }

  /** A string that may be empty (meaning "not set"). */
  public String optionalString(String key) {
    return raw(key);
  }

  public int integer(String key, int min, int max) {
    return (int) number(key, min, max, "an integer");
  }

  public int port(String key) {
    return integer(key, 0, 65535);
  }

  /** A duration given in milliseconds (the variable's name ends in _MS by convention). */
  public Duration millis(String key, long min, long max) {
    return Duration.ofMillis(number(key, min, max, "a number of milliseconds"));
  }

  private long number(String key, long min, long max, String what) {
    String value = raw(key);
    long parsed;
    try {
      parsed = Long.parseLong(value);
    } catch (NumberFormatException e) {
      parsed = min - 1;
    }
    if (parsed < min || parsed > max) {
      throw invalid(key, value, "must be " + what + " in " + min + ".." + max);
    }
    return parsed;
  }

  public boolean bool(String key) {
    String value = raw(key);
    if (value.equalsIgnoreCase("true")) {
      return true;
    }
    if (value.equalsIgnoreCase("false")) {
      return false;
    }
    throw invalid(key, value, "must be true or false");
  }

  /** A comma-separated list of non-empty items; at least one is required. */
  public List<String> list(String key) {
    String value = raw(key);
    List<String> items = Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    if (items.isEmpty()) {
      throw invalid(key, value, "must list at least one comma-separated item");
    }
    return items;
  }

  /** A comma-separated list that may be empty. */
  public List<String> optionalList(String key) {
    return raw(key).isBlank() ? List.of() : list(key);
  }

  private String raw(String key) {
    String value = values.get(key);
    if (value == null) {
      throw new IllegalStateException("Setting " + key + " has no default: add it to a defaults file");
    }
    return value;
  }

  private ConfigException invalid(String key, String value, String expectation) {
    String source = sources.getOrDefault(key, "default");
    String shown = SECRET.matcher(key).find() && !value.isEmpty() ? "***" : value;
    return new ConfigException("Invalid configuration: " + key + "='" + shown + "' (" + source + ") " + expectation);
  }
}
