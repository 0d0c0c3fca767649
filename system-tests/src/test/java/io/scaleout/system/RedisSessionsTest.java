package io.scaleout.system;

import org.junit.jupiter.api.BeforeAll;

/** Sessions in Redis (the default store). */
class RedisSessionsTest extends StatelessSessionsTest {
  @BeforeAll
  static void startShop() {
    start("redis");
  }
}
