package io.scaleout.session.user;

import io.scaleout.common.bus.FailureCode;
import io.scaleout.common.bus.ServiceException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Registration and login bodies: what is taken as given, what is normalized, and each refusal a 400 naming its field. */
class CredentialsTest {
  private static final int MIN_LENGTH = 10;
  private static final int MAX_BYTES = 64;
  private final Credentials credentials = new Credentials(MIN_LENGTH, MAX_BYTES);

  private static JsonObject registration(String email, Object password, Object name) {
    return new JsonObject().put("email", email).put("password", password).put("name", name);
  }

  /** The field a refused body is blamed on; the refusal must be a 400. */
  private static String refusedField(Runnable parse) {
    ServiceException refused = catchThrowableOfType(ServiceException.class, parse::run);
    assertThat(refused).as("refused").isNotNull();
    assertThat(refused.code()).isEqualTo(FailureCode.BAD_REQUEST);
    return refused.extensions().getString("field");
  }

  @Test
  void aRegistrationKeepsThePasswordAsGivenAndTrimsAndNormalizesTheRest() {
    // "e" followed by a combining acute accent: NFC makes it one character
    Credentials.Registration taken = credentials.registration(
        registration("  Ana@Example.org ", " spaces count too ", "  Ane\u0301mone  "));

    assertThat(taken.email()).isEqualTo("Ana@Example.org");
    assertThat(taken.password()).isEqualTo(" spaces count too ");
    assertThat(taken.name()).isEqualTo("An\u00e9mone");
  }

  @Test
  void thePasswordLengthCountsCharactersAndItsLimitCountsUtf8Bytes() {
    // ten emoji are ten characters (twenty UTF-16 units, forty bytes): long enough, within 64 bytes
    String tenEmoji = "\uD83D\uDE00".repeat(10);
    assertThat(credentials.registration(registration("a@example.org", tenEmoji, "A")).password()).isEqualTo(tenEmoji);
    assertThat(refusedField(() -> credentials.registration(registration("a@example.org", "short", "A")))).isEqualTo("password");
    // seventeen emoji: 68 bytes, over the limit, though only 17 characters
    assertThat(refusedField(() -> credentials.registration(registration("a@example.org", "\uD83D\uDE00".repeat(17), "A"))))
        .isEqualTo("password");
  }

  @Test
  void eachMalformedFieldIsRefusedByName() {
    String good = "a long enough password";
    assertThat(refusedField(() -> credentials.registration(registration("no-at-sign", good, "A")))).isEqualTo("email");
    assertThat(refusedField(() -> credentials.registration(registration("a@localhost", good, "A")))).isEqualTo("email");
    assertThat(refusedField(() -> credentials.registration(registration("a\u0000b@example.org", good, "A")))).isEqualTo("email");
    assertThat(refusedField(() -> credentials.registration(registration("a".repeat(250) + "@example.org", good, "A"))))
        .isEqualTo("email");
    assertThat(refusedField(() -> credentials.registration(registration("a@example.org", 12345678901L, "A")))).isEqualTo("password");
    assertThat(refusedField(() -> credentials.registration(registration("a@example.org", "lone \uD800 surrogate!", "A"))))
        .isEqualTo("password");
    assertThat(refusedField(() -> credentials.registration(registration("a@example.org", good, "   ")))).isEqualTo("name");
    assertThat(refusedField(() -> credentials.registration(registration("a@example.org", good, "bell\u0007")))).isEqualTo("name");
    assertThat(refusedField(() -> credentials.registration(registration("a@example.org", good, "n".repeat(101))))).isEqualTo("name");
    assertThat(refusedField(() -> credentials.registration(registration("a@example.org", good, 7)))).isEqualTo("name");
  }

  @Test
  void aBodyThatIsNotAnObjectOrCarriesUnknownFieldsIsRefused() {
    assertThat(refusedField(() -> credentials.login("a string"))).isEqualTo("body");
    assertThat(refusedField(() -> credentials.login(null))).isEqualTo("body");
    assertThat(refusedField(() -> credentials.login(new JsonObject().put("email", "a@example.org").put("password", "x")
        .put("roles", "admin")))).isEqualTo("roles");
    assertThat(refusedField(() -> credentials.registration(registration("a@example.org", "a long enough password", "A")
        .put("admin", true)))).isEqualTo("admin");
  }

  @Test
  void aLoginChecksOnlyThatThePasswordIsTextWithinTheLimit() {
    // an old account may have a shorter password than today's minimum: a login does not refuse it
    Credentials.Login login = credentials.login(new JsonObject().put("email", " b@example.org").put("password", "short"));

    assertThat(login).isEqualTo(new Credentials.Login("b@example.org", "short"));
    assertThat(refusedField(() -> credentials.login(new JsonObject().put("email", "b@example.org").put("password", ""))))
        .isEqualTo("password");
    assertThat(refusedField(() -> credentials.login(new JsonObject().put("email", "b@example.org")))).isEqualTo("password");
  }
}
