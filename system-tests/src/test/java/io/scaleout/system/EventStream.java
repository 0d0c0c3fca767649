package io.scaleout.system;

import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** A Server-Sent Events client of GET /api/events, as a browser's EventSource would be: frames as they arrive. */
final class EventStream implements AutoCloseable {
  /** One frame: its id and its data. */
  record Frame(String id, JsonObject data) {
  }

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  final List<Frame> frames = new CopyOnWriteArrayList<>();
  private final HttpResponse<Stream<String>> response;
  private final Thread reader;

  private EventStream(HttpResponse<Stream<String>> response) {
    this.response = response;
    this.reader = new Thread(this::read, "sse-reader");
    reader.setDaemon(true);
    reader.start();
  }

  static EventStream open(int port, String token, String lastEventId) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/events"))
        .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream");
    if (lastEventId != null) {
      request.header("Last-Event-ID", lastEventId);
    }
    CompletableFuture<HttpResponse<Stream<String>>> sent = HTTP.sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines());
    try {
      return new EventStream(sent.get(10, TimeUnit.SECONDS));
    } catch (Exception e) {
      throw new IllegalStateException("the event stream did not open: " + e, e);
    }
  }

  int status() {
    return response.statusCode();
  }

  /** Whether the server ended the stream (or it was closed here). */
  boolean ended() {
    return !reader.isAlive();
  }

  String header(String name) {
    return response.headers().firstValue(name).orElse(null);
  }

  /** The frames about one job, in order. */
  List<JsonObject> of(String jobId) {
    return frames.stream().map(Frame::data).filter(data -> jobId.equals(data.getString("jobId"))).toList();
  }

  private void read() {
    String id = null;
    StringBuilder data = new StringBuilder();
    try (Stream<String> lines = response.body()) {
      for (String line : (Iterable<String>) lines::iterator) {
        if (line.startsWith("id:")) {
          id = line.substring(3).strip();
        } else if (line.startsWith("data:")) {
          data.append(line.substring(5).strip());
        } else if (line.isEmpty() && data.length() > 0) {
          frames.add(new Frame(id, new JsonObject(data.toString())));
          data.setLength(0);
        }
      }
    } catch (RuntimeException closed) {
      // the stream was closed (by us or the server)
    }
  }

  @Override
  public void close() {
    response.body().close();
    reader.interrupt();
  }
}
