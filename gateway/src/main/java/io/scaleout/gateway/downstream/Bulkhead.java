package io.scaleout.gateway.downstream;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A cap on requests in flight to one service from this gateway (all its event loops together):
 * past it a request is refused at once instead of queueing behind a slow service.
 */
final class Bulkhead {
  private final int max;
  private final AtomicInteger inFlight = new AtomicInteger();

  Bulkhead(int max) {
    this.max = max;
  }

  boolean tryAcquire() {
    while (true) {
      int current = inFlight.get();
      if (current >= max) {
        return false;
      }
      if (inFlight.compareAndSet(current, current + 1)) {
        return true;
      }
    }
  }

  void release() {
    inFlight.decrementAndGet();
  }

  int inFlight() {
    return inFlight.get();
  }

  int max() {
    return max;
  }
}
