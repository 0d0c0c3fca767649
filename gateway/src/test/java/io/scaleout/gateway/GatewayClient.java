package io.scaleout.gateway;

import io.scaleout.testsupport.Await;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

import java.time.Duration;

/** A plain HTTP client for the gateway under test, used from the test thread. */
final class GatewayClient {
  record Response(int status, MultiMap headers, String body, Duration took) {
    JsonObject json() {
      return new JsonObject(body);
    }
  }

  private final HttpClient http;
  private final int port;

  GatewayClient(Vertx vertx, int port) {
    this.http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setConnectTimeout(5_000));
    this.port = port;
  }

  Response send(HttpMethod method, String path, MultiMap headers) {
    long start = System.nanoTime();
    RequestOptions options = new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(port)
        .setURI(path).setHeaders(headers).setConnectTimeout(5_000).setIdleTimeout(10_000);
    return Await.result(http.request(options)
        .compose(request -> request.send())
        .compose(response -> response.body()
            .map(body -> new Response(response.statusCode(), response.headers(), body.toString(),
                Duration.ofNanos(System.nanoTime() - start)))), Duration.ofSeconds(15));
  }

  Response get(String path) {
    return send(HttpMethod.GET, path, MultiMap.caseInsensitiveMultiMap());
  }
}
