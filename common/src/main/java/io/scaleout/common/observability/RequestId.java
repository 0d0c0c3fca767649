package io.scaleout.common.observability;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxBootstrap;
import io.vertx.core.spi.VertxServiceProvider;
import io.vertx.core.spi.context.storage.ContextLocal;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The request id of the work running on the current (duplicated) Vert.x context. It comes from
 * {@code X-Request-Id} at the gateway (or is generated), travels in event-bus headers, and is
 * written into every log line about the request. Registered as a Vert.x service provider because a
 * context local must exist before the first Vertx instance is built.
 */
public final class RequestId implements VertxServiceProvider {
  public static final String HEADER = "X-Request-Id";
  private static final ContextLocal<String> LOCAL = ContextLocal.registerLocal(String.class);
  /** Accepted ids: short and log-safe; anything else is replaced by a fresh id. */
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  @Override
  public void init(VertxBootstrap bootstrap) {
    // registering LOCAL in the static initialiser is all this provider is for
  }

  /** The request id of the current context, or null outside a request. */
  public static String current() {
    Context context = Vertx.currentContext();
    return context == null ? null : context.getLocal(LOCAL);
  }

  /**
   * Binds a request id to the current context when that context is a per-request (duplicated)
   * one; a shared event-loop context is never tagged, so ids cannot leak between requests.
   */
  public static void bind(String requestId) {
    Context context = Vertx.currentContext();
    if (requestId != null && context instanceof ContextInternal internal && internal.isDuplicate()) {
      internal.putLocal(LOCAL, requestId);
    }
  }

  /** The caller's id when it is safe to log and echo, else a new one. */
  public static String acceptOrGenerate(String candidate) {
    if (candidate != null && SAFE.matcher(candidate).matches()) {
      return candidate;
    }
    return generate();
  }

  /**
   * A random (version 4) UUID from the thread's own generator: an id only has to be unique, not
   * unguessable, and {@link UUID#randomUUID()} draws on the shared SecureRandom for every request.
   */
  private static String generate() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high = (random.nextLong() & ~0xF000L) | 0x4000L;
    long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(high, low).toString();
  }
}
