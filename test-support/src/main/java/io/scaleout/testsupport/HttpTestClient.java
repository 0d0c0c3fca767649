package io.scaleout.testsupport;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

import java.time.Duration;

/** A plain HTTP client for a gateway under test, used from the test thread. */
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
    this.http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setConnectTimeout(5_000));
    this.port = port;
  }

  public int port() {
    return port;
  }

  public Response send(HttpMethod method, String path, MultiMap headers, String body) {
    long start = System.nanoTime();
    RequestOptions options = new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(port)
        .setURI(path).setHeaders(headers).setConnectTimeout(5_000).setIdleTimeout(20_000);
    return Await.result(http.request(options)
        .compose(request -> body == null ? request.send() : request.send(Buffer.buffer(body)))
        .compose(response -> response.body()
            .map(b -> new Response(response.statusCode(), response.headers(), b.toString(),
                Duration.ofNanos(System.nanoTime() - start)))), Duration.ofSeconds(30));
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
