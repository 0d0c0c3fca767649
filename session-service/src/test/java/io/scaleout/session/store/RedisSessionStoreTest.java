package io.scaleout.session.store;

import io.scaleout.common.redis.BoundedRedis;
import io.scaleout.testsupport.Await;
import io.scaleout.testsupport.RedisServer;
import io.scaleout.testsupport.Waiting;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** SESSION_STORE=redis on a private redis-server, two clients of it standing for two instances. */
class RedisSessionStoreTest extends SessionStoreContract {
  private static final Duration BOUND = Duration.ofMillis(800);
  private static RedisServer redis;
  private static Vertx vertx;
  private static SessionStore writer;
  private static SessionStore reader;

  @BeforeAll
  static void start() {
    redis = RedisServer.start();
    vertx = Vertx.vertx();
    String prefix = "test-" + UUID.randomUUID() + ":";
    writer = new RedisSessionStore(new BoundedRedis(Redis.createClient(vertx, redis.url()), BOUND), prefix);
    reader = new RedisSessionStore(new BoundedRedis(Redis.createClient(vertx, redis.url()), BOUND), prefix);
  }

  @AfterAll
  static void stop() {
    Await.result(vertx.close(), WAIT);
    redis.close();
  }

  private static boolean stored(String hash) {
    try {
      return Await.result(writer.create(hash, session("u-4"), Duration.ofMinutes(5)), WAIT);
    } catch (RuntimeException notYet) {
      return false;
    }
  }

  @Override
  SessionStore writer() {
    return writer;
  }

  @Override
  SessionStore reader() {
    return reader;
  }

  @Test
  void withRedisDownACallFailsWithinItsBoundAndWorksOnceRedisIsBack() {
    String hash = newHash();
    Await.result(writer.create(hash, session("u-3"), Duration.ofMinutes(5)), WAIT);
    redis.kill();
    try {
      long started = System.nanoTime();
      Throwable failure = Await.failure(reader.get(hash), WAIT);
      assertThat(failure).isNotNull();
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(BOUND.multipliedBy(3));
    } finally {
      redis.restart();
    }
    String after = newHash();
    Waiting.until("a session stored once Redis is back", WAIT, () -> stored(after));
    assertThat(Await.result(reader.get(after), WAIT)).isEqualTo(session("u-4"));
  }
}
