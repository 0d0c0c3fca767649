package io.scaleout.gateway.events;

import io.scaleout.common.worker.JobEvent;
import io.vertx.core.Future;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This gateway's open event streams by user, shared by its event loops. Each job event heard on
 * the bus goes to its owner's streams here. A logout ends the streams of that session, as it ends
 * its other requests. At drain every stream is ended and no new one is admitted, so the HTTP
 * servers' graceful shutdown has no endless response to wait for.
 */
public final class JobEventStreams {
  /** What becomes of a new stream. */
  enum Admission { ADMITTED, FULL, DRAINING }

  private final Map<String, Set<EventStream>> byUser = new ConcurrentHashMap<>();
  private final int maxPerUser;
  /** Guarded by this, as are changes of the sets (admissions and removals are rare; dispatch takes no lock). */
  private boolean draining;

  public JobEventStreams(int maxPerUser) {
    this.maxPerUser = maxPerUser;
  }

  int maxPerUser() {
    return maxPerUser;
  }

  synchronized Admission admit(EventStream stream) {
    if (draining) {
      return Admission.DRAINING;
    }
    Set<EventStream> own = byUser.computeIfAbsent(stream.user(), user -> ConcurrentHashMap.newKeySet());
    if (own.size() >= maxPerUser) {
      return Admission.FULL;
    }
    own.add(stream);
    return Admission.ADMITTED;
  }

  synchronized void remove(EventStream stream) {
    Set<EventStream> own = byUser.get(stream.user());
    if (own != null && own.remove(stream) && own.isEmpty()) {
      byUser.remove(stream.user());
    }
  }

  /** A job's change, from the bus: to each stream its owner has open on this gateway. */
  public void dispatch(JobEvent event) {
    Set<EventStream> own = event.owner() == null ? null : byUser.get(event.owner());
    if (own != null) {
      own.forEach(stream -> stream.send(event));
    }
  }

  /** A session ended (logout, on any gateway): so do its streams. */
  public void sessionEnded(String sessionHash) {
    byUser.values().forEach(own -> own.stream().filter(stream -> stream.of(sessionHash)).forEach(EventStream::end));
  }

  /** At drain: ends every stream and admits no new one. */
  public Future<Void> closeAll() {
    List<EventStream> open;
    synchronized (this) {
      draining = true;
      open = byUser.values().stream().flatMap(Set::stream).toList();
    }
    return Future.join(open.stream().map(EventStream::end).toList()).mapEmpty();
  }
}
