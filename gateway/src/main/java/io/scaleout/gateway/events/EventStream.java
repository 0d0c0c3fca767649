package io.scaleout.gateway.events;

import io.scaleout.common.api.Caller;
import io.scaleout.common.worker.JobEvent;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One client's stream of job events, written only on its connection's context whatever thread an
 * event comes from. Until it is {@link #live}, events wait behind the frames a resuming client
 * missed. A client that does not keep up (its write queue full) is cut off rather than buffered
 * without bound: it reconnects and resumes from its last event id.
 */
final class EventStream {
  private final Caller caller;
  private final Context context;
  private final HttpServerResponse response;
  /** Events that came before the stream went live; null once live. Confined to the context. */
  private List<JobEvent> waiting = new ArrayList<>();

  EventStream(Caller caller, Context context, HttpServerResponse response) {
    this.caller = caller;
    this.context = context;
    this.response = response;
  }

  String user() {
    return caller.userId();
  }

  /** Whether the stream was opened with that session. */
  boolean of(String sessionHash) {
    return sessionHash != null && sessionHash.equals(caller.sessionHash());
  }

  /** Sends the head: an event stream that nothing on the way may compress, buffer or keep. */
  void open() {
    response.setChunked(true)
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        // "identity" keeps Vert.x's compressor off the stream, which would hold events back
        .putHeader(HttpHeaders.CONTENT_ENCODING, HttpHeaders.IDENTITY)
        // and this keeps nginx from buffering it
        .putHeader("X-Accel-Buffering", "no");
    response.writeHead();
  }

  /** From any thread. */
  void send(JobEvent event) {
    context.runOnContext(v -> {
      if (waiting != null) {
        waiting.add(event);
      } else {
        write(frame(event));
      }
    });
  }

  /**
   * On the stream's context: the events a resuming client missed, then those that came meanwhile
   * (unless the missed ones already told a later state of their job), then every event as it comes.
   */
  void live(List<JobEvent> missed) {
    missed.forEach(event -> write(frame(event)));
    Map<String, Long> told = missed.stream().collect(Collectors.toMap(JobEvent::jobId, JobEvent::updatedAtMillis, Long::max));
    List<JobEvent> meanwhile = waiting;
    waiting = null;
    meanwhile.stream()
        .filter(event -> event.updatedAtMillis() > told.getOrDefault(event.jobId(), Long.MIN_VALUE))
        .forEach(event -> write(frame(event)));
  }

  /** On the stream's context: a comment line, which clients ignore. */
  void comment(String text) {
    write(Buffer.buffer(": " + text + "\n\n"));
  }

  /** From any thread: ends the stream; the client reconnects (elsewhere, when this gateway is going). */
  Future<Void> end() {
    Promise<Void> ended = Promise.promise();
    context.runOnContext(v -> {
      if (response.ended() || response.closed()) {
        ended.complete();
      } else {
        response.end().onComplete(ar -> ended.complete());
      }
    });
    return ended.future();
  }

  private void write(Buffer data) {
    if (response.ended() || response.closed()) {
      return;
    }
    if (response.writeQueueFull()) {
      response.reset();
      return;
    }
    response.write(data);
  }

  private static Buffer frame(JobEvent event) {
    return Buffer.buffer("id: " + event.updatedAtMillis() + "\nevent: job\ndata: " + event.forOwner().encode() + "\n\n");
  }
}
