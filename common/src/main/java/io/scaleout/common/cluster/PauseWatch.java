package io.scaleout.common.cluster;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Halts the process when it finds it was frozen (SIGSTOP, a stalled VM, a stop-the-world pause)
 * for CLUSTER_PAUSE_EXIT_MS or longer: by then the others may have dropped it from the cluster (the
 * default, 5 s, is the heartbeat timeout less one heartbeat: its last heartbeat may have left up to
 * a second before the freeze), and a member that resumes acts on its old view at once. On the local cluster such a return was followed within seconds by most members finding
 * themselves on the minority side, which emptied the cluster, and once by a partition migration
 * that never finished. Checked every 50 ms by a thread of its own (its priority is a hint Linux
 * ignores: on a loaded machine it ran 0.5 s after SIGCONT, and Hazelcast's threads had acted by
 * then); the process exits with status 3 to be started afresh, skipping the graceful drain (whatever was in flight timed out at its callers long ago).
 * Only for a service in its own process: a test JVM holds many nodes.
 */
public final class PauseWatch {
  private static final long TICK_MILLIS = 50;

  private PauseWatch() {
  }

  /** Starts watching; {@code limit} zero watches nothing. */
  public static void start(Duration limit, int exitStatus) {
    if (limit.isZero()) {
      return;
    }
    Thread watch = new Thread(() -> watch(limit.toNanos(), exitStatus), "scaleout-pause-watch");
    watch.setDaemon(true);
    watch.setPriority(Thread.MAX_PRIORITY);
    watch.start();
  }

  private static void watch(long limitNanos, int exitStatus) {
    long last = System.nanoTime();
    while (true) {
      try {
        Thread.sleep(TICK_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
      long now = System.nanoTime();
      if (now - last >= limitNanos) {
        // straight to stderr: the asynchronous log appender would not get to write it before halt
        System.err.println("Leaving, frozen for " + TimeUnit.NANOSECONDS.toMillis(now - last)
            + " ms (CLUSTER_PAUSE_EXIT_MS " + TimeUnit.NANOSECONDS.toMillis(limitNanos)
            + "): the cluster has dropped this node; halting with exit status " + exitStatus + " to be started afresh");
        System.err.flush();
        Runtime.getRuntime().halt(exitStatus);
      }
      last = now;
    }
  }
}
