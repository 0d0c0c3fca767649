package io.scaleout.system;

import org.junit.jupiter.api.BeforeAll;

/** Sessions in the Hazelcast data grid. */
class GridSessionsTest extends StatelessSessionsTest {
  @BeforeAll
  static void startShop() {
    start("grid");
  }
}
