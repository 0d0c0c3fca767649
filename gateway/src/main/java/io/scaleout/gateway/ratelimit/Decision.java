package io.scaleout.gateway.ratelimit;

/**
 * The answer of a bucket to one request.
 *
 * @param allowed        a token was taken
 * @param limit          the bucket size
 * @param remaining      whole tokens left
 * @param resetSeconds   seconds until the bucket is full again
 * @param retryAfterSeconds when refused, seconds until a token is there
 */
record Decision(boolean allowed, long limit, long remaining, long resetSeconds, long retryAfterSeconds) {

  static Decision of(boolean allowed, long limit, long remaining, long waitMicros, long fullMicros) {
    return new Decision(allowed, limit, remaining, ceilSeconds(fullMicros), Math.max(1, ceilSeconds(waitMicros)));
  }

  private static long ceilSeconds(long micros) {
    return (micros + 999_999) / 1_000_000;
  }
}
