package io.scaleout.gateway;

import io.scaleout.testsupport.Await;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/** A client of GET /api/events on a connection of its own: the response head, and the body as it arrives. */
final class EventStreamClient implements AutoCloseable {
  /** One event of the stream. */
  record Frame(String id, String event, JsonObject data) {
  }

  private final HttpClient client;
  private final StringBuffer text = new StringBuffer();
  private final AtomicBoolean ended = new AtomicBoolean();
  final HttpClientResponse response;

  private EventStreamClient(Vertx vertx, int port, String uri, MultiMap headers) {
    client = vertx.createHttpClient();
    response = Await.result(client.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port)
            .setURI(uri).setHeaders(headers))
        .compose(request -> request.send())
        .onSuccess(head -> head.handler(chunk -> text.append(chunk.toString())).endHandler(v -> ended.set(true))),
        Duration.ofSeconds(10));
  }

  static EventStreamClient open(Vertx vertx, int port, String uri, String token, String... moreHeaders) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap()
        .add("Authorization", "Bearer " + token).add("Accept", "text/event-stream");
    for (int i = 0; i < moreHeaders.length; i += 2) {
      headers.add(moreHeaders[i], moreHeaders[i + 1]);
    }
    return new EventStreamClient(vertx, port, uri, headers);
  }

  int status() {
    return response.statusCode();
  }

  String text() {
    return text.toString();
  }

  boolean ended() {
    return ended.get();
  }

  /** The events received so far, in order (comments left out). */
  List<Frame> frames() {
    List<Frame> frames = new ArrayList<>();
    String received = text();
    // only whole events: the last one may still be on its way
    for (String block : received.substring(0, received.lastIndexOf("\n\n") + 1).split("\n\n")) {
      String id = null;
      String event = null;
      String data = null;
      for (String line : block.split("\n")) {
        if (line.startsWith("id: ")) {
          id = line.substring(4);
        } else if (line.startsWith("event: ")) {
          event = line.substring(7);
        } else if (line.startsWith("data: ")) {
          data = line.substring(6);
        }
      }
      if (data != null) {
        frames.add(new Frame(id, event, new JsonObject(data)));
      }
    }
    return frames;
  }

  /** Closes the connection, as a browser leaving the page does. */
  @Override
  public void close() {
    Await.result(client.close(), Duration.ofSeconds(5));
  }
}
