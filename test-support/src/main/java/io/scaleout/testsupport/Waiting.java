package io.scaleout.testsupport;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polling for the servers tests start (test threads only, never an event loop). */
public final class Waiting {
  private Waiting() {
  }

  /** Waits until something accepts connections on the loopback port, failing early if the process died. */
  public static void untilListening(String what, int port, Duration timeout, Process process) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(what + " exited with " + process.exitValue() + " before listening on " + port);
      }
      try (Socket socket = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException notYet) {
        pause(50);
      }
    }
    throw new IllegalStateException(what + " not listening on " + port + " within " + timeout);
  }

  /** Polls every 20 ms until the condition holds; fails naming what it waited for. */
  public static void until(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("Waited " + timeout + " for: " + what);
      }
      pause(20);
    }
  }

  public static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting", e);
    }
  }
}
