package io.scaleout.session.password;

import io.scaleout.common.config.Settings;

/**
 * Argon2id cost and the worker pool that computes it.
 *
 * @param memoryKib   memory per hash (OWASP's minimum for Argon2id: 19 MiB with t=2, p=1)
 * @param iterations  passes over the memory
 * @param parallelism lanes
 * @param threads     hashing threads; 0 = cores - 1 (at least 1), leaving a core to the event loops
 * @param queue       hashes allowed to wait for a thread; beyond that a login is refused with 503
 * @param maxWait     a hash that waited longer is not computed (503): its caller has timed out
 */
public record HashingConfig(int memoryKib, int iterations, int parallelism, int threads, int queue, java.time.Duration maxWait) {

  public static HashingConfig from(Settings s) {
    int threads = s.integer("PASSWORD_HASH_THREADS", 0, 256);
    return new HashingConfig(
        s.integer("ARGON2_MEMORY_KIB", 1024, 4 * 1024 * 1024),
        s.integer("ARGON2_ITERATIONS", 1, 100),
        s.integer("ARGON2_PARALLELISM", 1, 64),
        threads == 0 ? Math.max(1, Runtime.getRuntime().availableProcessors() - 1) : threads,
        s.integer("PASSWORD_HASH_QUEUE", 0, 100_000),
        s.millis("PASSWORD_HASH_MAX_WAIT_MS", 100, 600_000));
  }
}
