package io.scaleout.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free TCP ports on loopback, for servers a test starts. A port is handed out at most once per
 * sweep of the range, and the range lies below Linux's ephemeral ports (32768 and up): asking the
 * kernel for "any free port" could give the same port twice before either server binds it, or give
 * one an outgoing connection takes meanwhile, and then a request meant for one server reaches
 * another.
 */
public final class FreePorts {
  private static final int FIRST = 20_000;
  private static final int COUNT = 12_000;
  /** Each test JVM starts at a random point of the range, so consecutive JVMs rarely meet. */
  private static int cursor = ThreadLocalRandom.current().nextInt(COUNT);

  private FreePorts() {
  }

  public static synchronized int next() {
    for (int tried = 0; tried < COUNT; tried++) {
      int port = FIRST + cursor;
      cursor = (cursor + 1) % COUNT;
      if (bindable(port)) {
        return port;
      }
    }
    throw new IllegalStateException("no free port on loopback between " + FIRST + " and " + (FIRST + COUNT - 1));
  }

  private static boolean bindable(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
