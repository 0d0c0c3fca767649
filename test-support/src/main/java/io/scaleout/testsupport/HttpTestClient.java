package io.scaleout.testsupport;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;

/**
 * A plain HTTP/1.1 client (the JDK's) for a gateway under test, used from test threads. It is
 * deliberately not the Vert.x client: the server under test should be judged by an independent
 * peer.
 */
public final class HttpTestClient {
  /** A response: status, headers, body text, and how long it took. */
  public record Response(int status, MultiMap headers, String body, Duration took) {
    public JsonObject json() {
      return new JsonObject(body);
    }
  }

  private final HttpClient http;
  private final int port;

  public HttpTestClient(Vertx vertx, int port) {
    this(vertx, port, 5);
  }

  /** A client whose requests may run {@code concurrency} at a time. */
  public HttpTestClient(Vertx vertx, int port, int concurrency) {
    this.http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .executor(Executors.newFixedThreadPool(Math.max(2, concurrency), r -> {
          Thread thread = new Thread(r, "http-test-client");
          thread.setDaemon(true);
          return thread;
        }))
        .build();
    this.port = port;
  }

  public int port() {
    return port;
  }

  public Response send(HttpMethod method, String path, MultiMap headers, String body) {
    return Await.result(sendAsync(method, path, headers, body), Duration.ofSeconds(35));
  }

  /** The same without waiting, to keep many requests in flight at once. */
  public Future<Response> sendAsync(HttpMethod method, String path, MultiMap headers, String body) {
    long start = System.nanoTime();
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(30))
        .method(method.name(), body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(header -> request.header(header.getKey(), header.getValue()));
    CompletableFuture<Response> response = http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
        .thenApply(r -> {
          MultiMap received = MultiMap.caseInsensitiveMultiMap();
          r.headers().map().forEach(received::add);
          return new Response(r.statusCode(), received, r.body(), Duration.ofNanos(System.nanoTime() - start));
        });
    return Future.fromCompletionStage(response);
  }

  public Response send(HttpMethod method, String path, MultiMap headers) {
    return send(method, path, headers, null);
  }

  public Response get(String path) {
    return send(HttpMethod.GET, path, MultiMap.caseInsensitiveMultiMap(), null);
  }

  /** A JSON request (Content-Type set) with extra headers. */
  public Response json(HttpMethod method, String path, MultiMap headers, Object body) {
    MultiMap all = MultiMap.caseInsensitiveMultiMap().addAll(headers).set("Content-Type", "application/json");
    return send(method, path, all, body instanceof String text ? text : io.vertx.core.json.Json.encode(body));
  }

  public static MultiMap headers(String... namesAndValues) {
    MultiMap map = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      map.add(namesAndValues[i], namesAndValues[i + 1]);
    }
    return map;
  }
}
