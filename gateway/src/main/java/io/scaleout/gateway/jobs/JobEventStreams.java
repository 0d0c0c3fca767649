package io.scaleout.gateway.jobs;

import io.scaleout.common.worker.JobEvent;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This gateway's open event streams by user, shared by its event loops. A job event reaches the
 * streams of its owner, each written on its own connection's context. A stream that cannot keep up
 * (its write queue full) is closed rather than buffered without bound: the client reconnects and
 * is told the current state.
 */
public final class JobEventStreams {
  private final Map<String, Set<Stream>> byUser = new ConcurrentHashMap<>();

  /** One client's stream. Until {@link #live()} its events wait behind the resume frames. */
  public static final class Stream {
    private final Context context;
    private final HttpServerResponse response;
    private List<JobEvent> waiting = new ArrayList<>();

    Stream(Context context, HttpServerResponse response) {
      this.context = context;
      this.response = response;
    }

    /** On the stream's context. */
    void send(JobEvent event) {
      if (response.ended() || response.closed()) {
        return;
      }
      if (waiting != null) {
        waiting.add(event);
      } else if (response.writeQueueFull()) {
        response.reset();
      } else {
        response.write(frame(event));
      }
    }

    /** On the stream's context: what waited is written, then every event as it comes. */
    void live() {
      List<JobEvent> pending = waiting;
      waiting = null;
      pending.forEach(this::send);
    }

    void write(JobEvent event) {
      if (!response.ended() && !response.closed()) {
        response.write(frame(event));
      }
    }

    static Buffer frame(JobEvent event) {
      return Buffer.buffer("id: " + event.updatedAtMillis() + "\nevent: job\ndata: " + event.forOwner().encode() + "\n\n");
    }
  }

  /** Adds a stream of {@code user}; false when the user has {@code max} open already. */
  boolean add(String user, Stream stream, int max) {
    boolean[] added = {false};
    byUser.compute(user, (u, streams) -> {
      Set<Stream> set = streams == null ? ConcurrentHashMap.newKeySet() : streams;
      if (set.size() < max) {
        added[0] = set.add(stream);
      }
      return set.isEmpty() ? null : set;
    });
    return added[0];
  }

  void remove(String user, Stream stream) {
    byUser.computeIfPresent(user, (u, streams) -> {
      streams.remove(stream);
      return streams.isEmpty() ? null : streams;
    });
  }

  /** A job event from the bus: to each stream of its owner on this gateway. */
  public void dispatch(JobEvent event) {
    Set<Stream> streams = byUser.get(event.owner());
    if (streams != null) {
      streams.forEach(stream -> stream.context.runOnContext(v -> stream.send(event)));
    }
  }

  /** At drain: every stream is ended, so the server's shutdown does not wait for them. */
  public Future<Void> closeAll() {
    List<Future<Void>> closing = new ArrayList<>();
    byUser.values().forEach(streams -> streams.forEach(stream -> {
      Promise<Void> closed = Promise.promise();
      stream.context.runOnContext(v -> stream.response.end().onComplete(ar -> closed.complete()));
      closing.add(closed.future());
    }));
    byUser.clear();
    return Future.join(closing).mapEmpty();
  }
}
