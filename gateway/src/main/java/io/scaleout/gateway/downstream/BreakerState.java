package io.scaleout.gateway.downstream;

/**
 * A service's breaker as this gateway sees it: closed while one of its instances is in rotation,
 * open when every known instance is ejected or not ready (or none is known), half-open while an
 * ejected one is being probed.
 */
public enum BreakerState {
  CLOSED(0),
  HALF_OPEN(1),
  OPEN(2);

  private final int gaugeValue;

  BreakerState(int gaugeValue) {
    this.gaugeValue = gaugeValue;
  }

  /** 0 closed, 1 half-open, 2 open: the value of the gateway_breaker_state gauge. */
  public int gaugeValue() {
    return gaugeValue;
  }
}
