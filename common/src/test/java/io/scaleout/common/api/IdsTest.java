package io.scaleout.common.api;

import io.scaleout.common.bus.FailureCode;
import io.scaleout.common.bus.ServiceException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Path ids have one spelling each and always fit a long. */
class IdsTest {
  private static ApiRequest withPath(String name, String value) {
    return new ApiRequest(new JsonObject().put(name, value), new JsonObject(), null, new JsonObject());
  }

  @Test
  void positiveIntegersOfUpTo18DigitsAreIds() {
    assertThat(Ids.isId("1")).isTrue();
    assertThat(Ids.isId("999999999999999999")).isTrue();
    assertThat(Ids.pathParam(withPath("id", "42"), "id", "A product id")).isEqualTo(42L);
  }

  @Test
  void everyOtherSpellingIsRefusedNamingTheParameter() {
    for (String bad : new String[] {null, "", "0", "07", "-1", "+1", " 1", "1 ", "1e3", "0x1F", "1234567890123456789",
        "\u0661\u0662", "12a"}) {
      assertThat(Ids.isId(bad)).as(String.valueOf(bad)).isFalse();
      ServiceException refused = catchThrowableOfType(ServiceException.class,
          () -> Ids.pathParam(withPath("productId", bad), "productId", "A product id"));
      assertThat(refused.code()).isEqualTo(FailureCode.BAD_REQUEST);
      assertThat(refused.extensions().getString("field")).isEqualTo("productId");
      assertThat(refused.getMessage()).isEqualTo("A product id is a positive integer");
    }
  }
}
