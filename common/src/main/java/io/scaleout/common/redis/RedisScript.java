package io.scaleout.common.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A Lua script from the classpath, run by its SHA-1 (EVALSHA) so that only the digest travels;
 * the text is sent once (EVAL) when Redis does not know it yet, e.g. after a restart.
 */
public final class RedisScript {
  private final String text;
  private final String sha;

  private RedisScript(String text) {
    this.text = text;
    this.sha = sha1(text);
  }

  /** The script at {@code resource} (an absolute classpath path); fails at start when absent. */
  public static RedisScript load(String resource) {
    try (InputStream in = RedisScript.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("The Redis script " + resource + " is missing from the jar");
      }
      return new RedisScript(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("Cannot read the Redis script " + resource, e);
    }
  }

  public Future<Response> run(BoundedRedis redis, List<String> keys, List<Object> args) {
    return redis.send(request(Command.EVALSHA, sha, keys, args))
        .recover(failure -> failure.getMessage() != null && failure.getMessage().startsWith("NOSCRIPT")
            ? redis.send(request(Command.EVAL, text, keys, args)) : Future.failedFuture(failure));
  }

  private static Request request(Command command, String script, List<String> keys, List<Object> args) {
    Request request = Request.cmd(command).arg(script).arg(keys.size());
    keys.forEach(request::arg);
    args.forEach(arg -> request.arg(String.valueOf(arg)));
    return request;
  }

  private static String sha1(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is part of every JVM", e);
    }
  }
}
