package io.scaleout.session.store;

import io.scaleout.testsupport.Await;
import io.scaleout.testsupport.Waiting;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link SessionStore} promises, whichever SESSION_STORE selects: a session written
 * through one instance is read through another (a session-service instance may die between a
 * login and the next request), a token hash is never overwritten by a create, and an entry lives
 * for its time to live, slid by a touch, and not after a delete.
 */
abstract class SessionStoreContract {
  static final Duration WAIT = Duration.ofSeconds(5);

  /** The store of the instance that writes. */
  abstract SessionStore writer();

  /** The same store as another instance sees it (another client of Redis, another member of the grid). */
  abstract SessionStore reader();

  static String newHash() {
    return UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", "");
  }

  static JsonObject session(String user) {
    return new JsonObject().put("userId", user).put("roles", new JsonArray().add("customer"));
  }

  @Test
  void aSessionWrittenThroughOneInstanceIsReadThroughAnother() {
    String hash = newHash();

    assertThat(Await.result(writer().create(hash, session("u-1"), Duration.ofMinutes(5)), WAIT)).isTrue();

    assertThat(Await.result(reader().get(hash), WAIT)).isEqualTo(session("u-1"));
    assertThat(Await.result(reader().get(newHash()), WAIT)).isNull();
  }

  @Test
  void aCreateNeverOverwritesTheSessionOfTheSameHash() {
    String hash = newHash();
    Await.result(writer().create(hash, session("owner"), Duration.ofMinutes(5)), WAIT);

    assertThat(Await.result(reader().create(hash, session("intruder"), Duration.ofMinutes(5)), WAIT)).isFalse();

    assertThat(Await.result(writer().get(hash), WAIT)).isEqualTo(session("owner"));
  }

  @Test
  void anEntryEndsWithItsTimeToLiveUnlessATouchSlidesIt() {
    String kept = newHash();
    String left = newHash();
    Duration ttl = Duration.ofMillis(1500);
    Await.result(writer().create(kept, session("kept"), ttl), WAIT);
    Await.result(writer().create(left, session("left"), ttl), WAIT);

    Waiting.pause(700);
    Await.result(reader().touch(kept, session("kept"), Duration.ofSeconds(30)), WAIT);

    Waiting.until("the untouched session expired", WAIT, () -> Await.result(reader().get(left), WAIT) == null);
    assertThat(Await.result(writer().get(kept), WAIT)).isEqualTo(session("kept"));
  }

  @Test
  void aDeletedSessionIsGoneForEveryInstance() {
    String hash = newHash();
    Await.result(writer().create(hash, session("u-2"), Duration.ofMinutes(5)), WAIT);

    Await.result(reader().delete(hash), WAIT);

    assertThat(Await.result(writer().get(hash), WAIT)).isNull();
    assertThat(Await.result(reader().get(hash), WAIT)).isNull();
  }
}
