package io.scaleout.testsupport;

import io.scaleout.common.config.ConfigException;
import io.scaleout.common.config.Settings;
import io.scaleout.common.redis.RedisConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * REDIS_PASSWORD against a real redis-server of the test's own with {@code requirepass} (beside the
 * machine's Redis, which has none): the client authenticates on every connection it opens, also
 * after Redis restarted, and one without the password, or with a wrong one, is refused.
 */
@ExtendWith(VertxExtension.class)
class RedisPasswordTest {
  private static final String PASSWORD = "test-redis-password-" + System.nanoTime();
  private static RedisServer redis;

  @BeforeAll
  static void start() {
    redis = RedisServer.startWithPassword(PASSWORD);
  }

  @AfterAll
  static void stop() {
    redis.close();
  }

  private static RedisConfig config(Map<String, String> environment) {
    Map<String, String> env = new java.util.HashMap<>(environment);
    env.put("REDIS_URL", redis.url());
    return RedisConfig.from(Settings.load("redisclient", env));
  }

  private static Response send(Redis client, Request request) {
    return Await.result(client.send(request), Duration.ofSeconds(5));
  }

  @Test
  void theRightPasswordIsLetIn(Vertx vertx) {
    Redis client = config(Map.of("REDIS_PASSWORD", PASSWORD)).client(vertx);
    try {
      assertThat(send(client, Request.cmd(Command.PING)).toString()).isEqualTo("PONG");
      send(client, Request.cmd(Command.SET).arg("redis-password-test").arg("kept"));
      assertThat(send(client, Request.cmd(Command.GET).arg("redis-password-test")).toString()).isEqualTo("kept");
    } finally {
      client.close();
    }
  }

  @Test
  void noPasswordOrAWrongOneIsRefused(Vertx vertx) {
    for (Map<String, String> env : java.util.List.of(Map.<String, String>of(), Map.of("REDIS_PASSWORD", "not-" + PASSWORD))) {
      Redis client = config(env).client(vertx);
      try {
        assertThatThrownBy(() -> send(client, Request.cmd(Command.PING))).as("%s", env.keySet())
            .hasMessageMatching("(?s).*(NOAUTH|WRONGPASS).*");
      } finally {
        client.close();
      }
    }
  }

  @Test
  void thePasswordMayComeFromAFileAndIsNotShown(Vertx vertx, @TempDir Path dir) throws IOException {
    Path file = dir.resolve("redis-password");
    Files.writeString(file, PASSWORD + "\n");
    RedisConfig config = config(Map.of("REDIS_PASSWORD_FILE", file.toString()));
    Redis client = config.client(vertx);
    try {
      assertThat(send(client, Request.cmd(Command.PING)).toString()).isEqualTo("PONG");
    } finally {
      client.close();
    }
    assertThat(config.toString()).doesNotContain(PASSWORD);
    assertThat(Settings.load("redisclient", Map.of("REDIS_PASSWORD_FILE", file.toString())).describe())
        .containsEntry("REDIS_PASSWORD", "***");
  }

  @Test
  void aRestartedRedisIsAuthenticatedToAgain(Vertx vertx) throws InterruptedException {
    Redis client = config(Map.of("REDIS_PASSWORD", PASSWORD)).client(vertx);
    try {
      assertThat(send(client, Request.cmd(Command.PING)).toString()).isEqualTo("PONG");
      redis.restart();
      String answer = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (answer == null && System.nanoTime() < deadline) {
        Future<Response> ping = client.send(Request.cmd(Command.PING));
        try {
          answer = Await.result(ping, Duration.ofSeconds(5)).toString();
        } catch (RuntimeException connectionOfTheOldServer) {
          Thread.sleep(100);
        }
      }
      assertThat(answer).isEqualTo("PONG");
    } finally {
      client.close();
    }
  }

  @Test
  void aPasswordInTheUrlIsRefusedSinceTheUrlIsLogged() {
    for (String url : new String[] {"redis://:secret@127.0.0.1:6379/0", "redis://app:secret@127.0.0.1:6379/0"}) {
      assertThatThrownBy(() -> RedisConfig.from(Settings.load("redisclient", Map.of("REDIS_URL", url))))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("REDIS_PASSWORD")
          .hasMessageNotContaining("secret");
    }
    assertThat(RedisConfig.from(Settings.load("redisclient", Map.of("REDIS_URL", "redis://app@127.0.0.1:6379/0"))).url())
        .as("a user name alone is fine").isEqualTo("redis://app@127.0.0.1:6379/0");
  }
}
