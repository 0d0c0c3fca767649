package io.scaleout.common.observability;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class RequestIdGenerationTest {
  @Test
  void generatedIdsAreDistinctVersion4Uuids() {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 100_000; i++) {
      String id = RequestId.acceptOrGenerate(null);
      UUID uuid = UUID.fromString(id);
      assertThat(uuid.version()).isEqualTo(4);
      assertThat(uuid.variant()).isEqualTo(2);
      ids.add(id);
    }
    assertThat(ids).hasSize(100_000);
  }

  @Test
  void aSafeCallerIdIsKeptAndAnUnsafeOneReplaced() {
    assertThat(RequestId.acceptOrGenerate("rid-42.a:b")).isEqualTo("rid-42.a:b");
    assertThat(RequestId.acceptOrGenerate("a b")).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    assertThat(RequestId.acceptOrGenerate("x".repeat(129))).hasSize(36);
  }
}
