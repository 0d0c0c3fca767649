package io.scaleout.session.api;

import io.scaleout.common.bus.FailureCode;
import io.scaleout.common.bus.ServiceException;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A failing dependency (Redis, the grid) is a 503 for the caller, not a 500. */
final class Dependencies {
  private static final Logger log = LoggerFactory.getLogger(Dependencies.class);

  private Dependencies() {
  }

  static <T> Future<T> guard(String what, Future<T> call) {
    return call.recover(failure -> {
      if (failure instanceof ServiceException) {
        return Future.failedFuture(failure);
      }
      log.warn("{} unavailable: {}", what, failure.getMessage());
      return Future.failedFuture(new ServiceException(FailureCode.UNAVAILABLE, "The " + what + " is unavailable; retry shortly"));
    });
  }
}
