package io.scaleout.session.password;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class PasswordHasherTest {
  private static HashingConfig cost(int memoryKib, int iterations) {
    return new HashingConfig(memoryKib, iterations, 1, 1, 0, Duration.ofSeconds(8));
  }

  @Test
  void hashesAreSaltedArgon2idPhcStringsThatVerify() {
    PasswordHasher hasher = new PasswordHasher(cost(8192, 2));
    String first = hasher.hash("correct horse battery");
    String second = hasher.hash("correct horse battery");

    assertThat(first).startsWith("$argon2id$v=19$m=8192,t=2,p=1$").isNotEqualTo(second);
    assertThat(hasher.verify("correct horse battery", first)).isTrue();
    assertThat(hasher.verify("correct horse batterY", first)).isFalse();
    assertThat(hasher.verify("", first)).isFalse();
  }

  @Test
  void theCostIsReadFromTheStoredHashSoItCanBeRaisedLater() {
    String old = new PasswordHasher(cost(4096, 1)).hash("pässwörd 🔑");
    PasswordHasher current = new PasswordHasher(cost(8192, 3));

    assertThat(current.verify("pässwörd 🔑", old)).isTrue();
  }

  @Test
  void malformedHashesNeverVerify() {
    PasswordHasher hasher = new PasswordHasher(cost(4096, 1));
    for (String bad : new String[] {"", "plain", "$argon2i$v=19$m=4096,t=1,p=1$c2FsdHNhbHQ$aGFzaA",
        "$argon2id$v=19$m=x,t=1,p=1$c2FsdHNhbHQ$aGFzaA", "$argon2id$v=19$q=1$c2FsdA$aGFzaA", "$argon2id$v=19$m=4096,t=1,p=1$!!$aGFzaA"}) {
      assertThat(hasher.verify("anything", bad)).as(bad).isFalse();
    }
  }
}
