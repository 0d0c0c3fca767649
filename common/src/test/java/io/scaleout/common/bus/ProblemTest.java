package io.scaleout.common.bus;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProblemTest {

  @Test
  void serviceFailureKeepsCodeDetailAndExtensions() {
    Problem sent = new Problem(FailureCode.BAD_REQUEST, "limit must be 1..100", new JsonObject().put("field", "limit"));
    ReplyException received = new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 400, sent.toFailureMessage());

    Problem problem = Problem.fromFailure(received, "catalog");

    assertThat(problem.status()).isEqualTo(400);
    assertThat(problem.toJson()).isEqualTo(new JsonObject()
        .put("field", "limit")
        .put("type", "urn:scaleout:problem:bad-request")
        .put("title", "Bad request")
        .put("status", 400)
        .put("detail", "limit must be 1..100"));
  }

  @Test
  void transportFailuresMapToGatewayStatuses() {
    assertThat(Problem.fromFailure(new ReplyException(ReplyFailure.TIMEOUT, "t"), "catalog").status()).isEqualTo(504);
    assertThat(Problem.fromFailure(new ReplyException(ReplyFailure.NO_HANDLERS, "n"), "catalog").status()).isEqualTo(503);
    assertThat(Problem.fromFailure(new IllegalStateException("boom"), "catalog").status()).isEqualTo(500);
  }

  @Test
  void unknownCodesAndForeignMessagesBecomeInternalErrorsWithoutLeakingText() {
    Problem problem = Problem.fromFailure(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 7, "NullPointerException at x.y"), "session");

    assertThat(problem.status()).isEqualTo(500);
    assertThat(problem.detail()).isEqualTo("session failed");
  }

  @Test
  void everyFailureCodeIsItsOwnHttpStatus() {
    for (FailureCode code : FailureCode.values()) {
      assertThat(FailureCode.of(code.status())).isEqualTo(code);
      assertThat(code.type()).startsWith("urn:scaleout:problem:");
    }
  }
}
