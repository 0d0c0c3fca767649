package io.scaleout.common.balance;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.scaleout.common.bus.FailureCode;
import io.scaleout.common.bus.InstanceAddresses;
import io.scaleout.common.bus.Service;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * This process's requests to one service: each goes to one instance chosen by the power of two
 * choices on the requests this process has in flight to each (so a slow instance gets less), and an
 * instance that fails is ejected for a while and probed back in. A failed attempt goes to another
 * instance at once when it provably reached none (no handler) or when the request is idempotent.
 *
 * <p>Shared by every event loop of the process; a request's callbacks run on the context that sent it.
 * The checks ({@link #tick}) run on the directory's event loop.
 */
public final class Balancer {
  private static final Logger log = LoggerFactory.getLogger(Balancer.class);
  private static final RemoteInstance[] NONE = new RemoteInstance[0];

  private final Service target;
  private final Vertx vertx;
  private final BalancerConfig config;
  private final Duration sharedRetryDelay;
  private final MeterRegistry metrics;
  private final Map<String, RemoteInstance> instances = new ConcurrentHashMap<>();
  private final List<Runnable> listeners = new ArrayList<>();
  private volatile RemoteInstance[] available = NONE;

  Balancer(Service target, Vertx vertx, BalancerConfig config, Duration sharedRetryDelay, MeterRegistry metrics) {
    this.target = target;
    this.vertx = vertx;
    this.config = config;
    this.sharedRetryDelay = sharedRetryDelay;
    this.metrics = metrics;
    Gauge.builder("bus.instances", this, b -> b.available.length).tag("target", target.id()).tag("state", "available")
        .register(metrics);
    Gauge.builder("bus.instances", this, b -> b.count(RemoteInstance::ejected)).tag("target", target.id()).tag("state", "ejected")
        .register(metrics);
  }

  public Service target() {
    return target;
  }

  /** Told whenever the set of instances in rotation changes (on the thread that changed it). */
  public synchronized void onChange(Runnable listener) {
    listeners.add(listener);
  }

  /** Instances that announced themselves ready and are not ejected. */
  public int availableCount() {
    return available.length;
  }

  /** Instances known, in rotation or not. */
  public int knownCount() {
    return instances.size();
  }

  public boolean probing() {
    return instances.values().stream().anyMatch(i -> i.probing && i.ejected());
  }

  /** Milliseconds until the first ejected instance is probed again (0 when one is in rotation). */
  public long millisToNextProbe() {
    long now = System.nanoTime();
    return instances.values().stream().filter(RemoteInstance::ejected).mapToLong(i -> i.ejectedForNanos(now))
        .min().orElse(0) / 1_000_000;
  }

  public JsonArray instancesJson() {
    long now = System.nanoTime();
    JsonArray all = new JsonArray();
    instances.values().stream().sorted((a, b) -> a.id.compareTo(b.id)).forEach(i -> all.add(i.toJson(now)));
    return all;
  }

  /** Sends to one instance, tries again on another as the policy allows; the reply or the last failure. */
  public <T> Future<Message<T>> request(String address, Object body, DeliveryOptions options, CallPolicy policy) {
    Context context = vertx.getOrCreateContext();
    Promise<Message<Object>> result = Promise.promise();
    long deadline = System.nanoTime() + policy.budget().toNanos();
    attempt(context, address, body, options, policy, deadline, 1, List.of(), null, result);
    @SuppressWarnings("unchecked")
    Future<Message<T>> typed = (Future<Message<T>>) (Future<?>) result.future();
    return typed;
  }

  private void attempt(Context context, String address, Object body, DeliveryOptions options, CallPolicy policy, long deadline,
                       int number, List<RemoteInstance> tried, Throwable previous, Promise<Message<Object>> result) {
    long timeout = Math.min(policy.attemptTimeout().toMillis(), (deadline - System.nanoTime()) / 1_000_000);
    RemoteInstance instance = pick(tried);
    if (instance == null && (instances.isEmpty() || isNoHandlers(previous))) {
      // none announced yet, or none had the address (a member's view of new registrations can lag): the bus picks
      shared(address, body, new DeliveryOptions(options).setSendTimeout(Math.max(1, timeout))).onComplete(result);
      return;
    }
    if (instance == null) {
      // a retry that finds no instance left answers with what the last attempt met
      result.fail(previous != null ? previous
          : new ReplyException(ReplyFailure.NO_HANDLERS, "no " + target.id() + " instance is available"));
      return;
    }
    Promise<Message<Object>> attempt = Promise.promise();
    RemoteInstance.Attempt inFlight = new RemoteInstance.Attempt(context, attempt, policy.idempotent(), System.nanoTime());
    instance.begin(inFlight);
    // try-: an attempt handed back by an ejection is already failed when its late answer comes
    vertx.eventBus().<Object>request(InstanceAddresses.of(address, instance.id), body,
        new DeliveryOptions(options).setSendTimeout(Math.max(1, timeout)))
        .onSuccess(attempt::tryComplete).onFailure(attempt::tryFail);
    attempt.future().onComplete(ar -> {
      instance.end(inFlight);
      Throwable failure = ar.failed() ? ar.cause() : null;
      record(instance, failure, inFlight.startedNanos());
      if (failure == null) {
        result.complete(ar.result());
        return;
      }
      long left = deadline - System.nanoTime();
      boolean neverReached = isNoHandlers(failure);
      // a dependency the instance reports down is every instance's: another attempt would only wait as long again
      if (isInstanceFault(failure) && !isDependencyDown(failure) && (neverReached || policy.idempotent())
          && number < policy.maxAttempts()
          && left >= Math.max(1_000_000, policy.minRemaining().toNanos())) {
        policy.onRetry().run();
        // a first attempt allocates no list: most requests are never tried again
        List<RemoteInstance> triedNow = new ArrayList<>(tried);
        triedNow.add(instance);
        attempt(context, address, body, options, policy, deadline, number + 1, triedNow, failure, result);
      } else if (neverReached && left > 0) {
        // no instance's own address had a handler here (this member's view of registrations can
        // lag behind a restart): the bus picks any consumer of the shared address
        long rest = Math.max(1, left / 1_000_000);
        shared(address, body, new DeliveryOptions(options).setSendTimeout(rest)).onComplete(result);
      } else {
        result.fail(failure);
      }
    });
  }

  /** Power of two choices among the instances in rotation, avoiding those already tried if it can. */
  private RemoteInstance pick(List<RemoteInstance> tried) {
    RemoteInstance[] pool = available;
    if (!tried.isEmpty()) {
      RemoteInstance[] untried = Arrays.stream(pool).filter(i -> !tried.contains(i)).toArray(RemoteInstance[]::new);
      pool = untried.length > 0 ? untried : pool;
    }
    if (pool.length == 0) {
      return null;
    }
    if (pool.length == 1) {
      return pool[0];
    }
    ThreadLocalRandom random = ThreadLocalRandom.current();
    int first = random.nextInt(pool.length);
    int second = random.nextInt(pool.length - 1);
    if (second >= first) {
      second++;
    }
    return pool[second].inFlight() < pool[first].inFlight() ? pool[second] : pool[first];
  }

  /** No instance announced yet (a caller just started): the bus picks, and a missing handler is asked again once. */
  private Future<Message<Object>> shared(String address, Object body, DeliveryOptions options) {
    return vertx.eventBus().<Object>request(address, body, options).recover(failure -> {
      if (!(failure instanceof ReplyException reply) || reply.failureType() != ReplyFailure.NO_HANDLERS) {
        return Future.failedFuture(failure);
      }
      Promise<Message<Object>> retried = Promise.promise();
      vertx.setTimer(Math.max(1, sharedRetryDelay.toMillis()),
          id -> vertx.eventBus().<Object>request(address, body, options).onComplete(retried));
      return retried.future();
    });
  }

  private static boolean isTimeout(Throwable failure) {
    return failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.TIMEOUT;
  }

  private static boolean isNoHandlers(Throwable failure) {
    return failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.NO_HANDLERS;
  }

  /** Failures that say the instance is in trouble, as opposed to answers about the request. */
  public static boolean isInstanceFault(Throwable failure) {
    if (!(failure instanceof ReplyException reply)) {
      return true;
    }
    return reply.failureType() != ReplyFailure.RECIPIENT_FAILURE || reply.failureCode() >= 500;
  }

  /**
   * A 503 the instance chose to answer: a dependency it needs (Kafka, Redis) is down. Every instance
   * of the service says the same, so ejecting them would only cut off what they still can do.
   */
  private static boolean isDependencyDown(Throwable failure) {
    return failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE
        && reply.failureCode() == FailureCode.UNAVAILABLE.status();
  }

  private void record(RemoteInstance instance, Throwable failure, long startedNanos) {
    if (instances.get(instance.id) != instance) {
      return; // forgotten meanwhile (its member left): nothing to count
    }
    if (failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
      instance.answered();
    }
    if (failure == null) {
      instance.answered();
      instance.succeeded();
    } else if (!isInstanceFault(failure) || isDependencyDown(failure)) {
      instance.succeeded();
    } else if (isNoHandlers(failure) && !instance.isNew(System.nanoTime(), config.instanceExpiry().toNanos())) {
      // its address is gone: it left or drains (a new one's registrations may just not be seen here yet)
      eject(instance, "no-handler");
    } else if (isTimeout(failure) && instance.answeredSince(startedNanos)) {
      // it answered other requests meanwhile: this one was slow (or the caller's own bus was), the instance is alive
      return;
    } else if (instance.failed(config.consecutiveFailures())) {
      eject(instance, "failures");
    }
  }

  private void eject(RemoteInstance instance, String reason) {
    long now = System.nanoTime();
    if (!instance.eject(now, config.baseEjection().toNanos(), config.maxEjection().toNanos())) {
      return;
    }
    Counter.builder("bus.instance.ejections").tag("target", target.id()).tag("reason", reason).register(metrics).increment();
    changed();
    log.warn("Ejected {} instance {} for {} ms ({}); {} left in rotation", target.id(), instance.id,
        instance.ejectedForNanos(now) / 1_000_000, reason, available.length);
    if (!reason.equals("failures")) {
      instance.releaseIdempotent();
    }
  }

  // --- maintained by the directory, on its event loop

  void announced(String id, String nodeId, boolean ready) {
    RemoteInstance instance = instances.computeIfAbsent(id, key -> {
      log.info("{} instance {} appeared (node {})", target.id(), id, nodeId);
      RemoteInstance added = new RemoteInstance(id, nodeId);
      added.gauge = Gauge.builder("bus.instance.ejected", added, i -> i.ejected() ? 1 : 0).tag("target", target.id())
          .tag("target_instance", id).description("1 while this caller keeps the instance out of rotation").register(metrics);
      return added;
    });
    instance.lastAnnouncedNanos = System.nanoTime();
    if (instance.ready != ready) {
      instance.ready = ready;
      changed();
    }
  }

  void forget(RemoteInstance instance, String why) {
    if (instances.remove(instance.id, instance)) {
      metrics.remove(instance.gauge);
      log.info("{} instance {} forgotten: {}", target.id(), instance.id, why);
      changed();
      // nothing in flight to it will be answered now: what may be repeated goes elsewhere at once
      instance.releaseIdempotent();
    }
  }

  /** Expiries, departed members, stalls, and probes of ejections that ran out. */
  void tick(Set<String> members) {
    long now = System.nanoTime();
    for (RemoteInstance instance : instances.values()) {
      if (!members.contains(instance.nodeId)) {
        forget(instance, "its member left the cluster");
      } else if (now - instance.lastAnnouncedNanos > config.instanceExpiry().toNanos()) {
        forget(instance, "no announcement for " + config.instanceExpiry().toMillis() + " ms");
      } else if (instance.ejectionOver(now) && !instance.probing) {
        probe(instance, true);
      } else if (instance.available() && !instance.probing && instance.stalled(now, config.stallAfter().toNanos())
          && !instance.isNew(now, config.instanceExpiry().toNanos())) {
        // a new instance's first answers may be slow (cold JIT, first connections): not a stall yet
        probe(instance, false);
      } else {
        instance.decay(now, config.maxEjection().toNanos());
      }
    }
  }

  private void probe(RemoteInstance instance, boolean readmission) {
    instance.probing = true;
    if (readmission) {
      changed();
    }
    vertx.eventBus().request(InstanceAddresses.of(target.pingAddress(), instance.id), null,
        new DeliveryOptions().setSendTimeout(config.probeTimeout().toMillis())).onComplete(ar -> {
          instance.probing = false;
          long now = System.nanoTime();
          if (ar.succeeded()) {
            instance.answered();
            if (readmission) {
              instance.readmit(now);
              log.info("{} instance {} answered its probe: back in rotation", target.id(), instance.id);
              changed();
            }
          } else if (readmission) {
            instance.extend(now, config.baseEjection().toNanos(), config.maxEjection().toNanos());
            changed();
          } else if (instances.get(instance.id) != instance) {
            return; // forgotten while the probe was out
          } else if (available.length > 1) {
            eject(instance, "stalled");
          } else {
            // a missed ping is weaker evidence than failures: the last instance in rotation stays
            log.warn("{} instance {} did not answer its probe; kept, as the last one in rotation", target.id(), instance.id);
          }
        });
  }

  private synchronized void changed() {
    available = instances.values().stream().filter(RemoteInstance::available).toArray(RemoteInstance[]::new);
    listeners.forEach(Runnable::run);
  }

  private int count(Predicate<RemoteInstance> which) {
    return (int) instances.values().stream().filter(which).count();
  }

  Collection<RemoteInstance> instances() {
    return instances.values();
  }
}
