package io.scaleout.gateway;

import io.scaleout.common.api.ApiReply;
import io.scaleout.common.api.ApiRequest;
import io.scaleout.common.api.Caller;
import io.scaleout.common.bus.FailureCode;
import io.scaleout.common.bus.Problem;
import io.scaleout.common.bus.ServiceException;
import io.scaleout.common.catalog.CatalogAddresses;
import io.scaleout.testsupport.FreePorts;
import io.scaleout.testsupport.TestCluster;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the gateway maps the catalog routes onto the bus and back. The catalog here is a stand-in
 * endpoint on the catalog addresses that records what arrives and answers like the catalog does;
 * the catalog itself is tested against Postgres, Redis and Kafka in its own module.
 */
@ExtendWith(VertxExtension.class)
class CatalogRoutesTest {
  private static final List<JsonObject> received = new CopyOnWriteArrayList<>();
  private static final List<Caller> receivedCallers = new CopyOnWriteArrayList<>();
  /** A session the stand-in session service knows: an administrator. */
  private static final String ADMIN_TOKEN = StandIns.ADMIN_TOKEN;
  private static TestCluster cluster;
  private static int port;

  @BeforeAll
  static void start() {
    cluster = new TestCluster();
    port = FreePorts.next();
    cluster.startNode("gateway", "gateway", Map.of("HTTP_PORT", Integer.toString(port), "HTTP_INSTANCES", "1",
        "HTTP_JSON_BODY_LIMIT", "2048"), io.scaleout.gateway.GatewayModule::start);
    cluster.startTestNode("session", StandIns::sessions);
    cluster.startTestNode("catalog", context -> Future.all(List.of(
        context.endpoints().register(CatalogAddresses.PRODUCT_GET, message -> {
          record(message);
          String id = ApiRequest.fromJson(message.body()).pathParam("id");
          if (id.equals("404")) {
            return Future.failedFuture(new ServiceException(FailureCode.NOT_FOUND, "No product 404"));
          }
          return Future.succeededFuture(ApiReply.ok(new JsonObject().put("id", Long.parseLong(id)).put("version", 3))
              .etag("\"v3\"").cacheControl("public, max-age=0, s-maxage=60"));
        }),
        context.endpoints().register(CatalogAddresses.PRODUCTS_LIST, message -> {
          record(message);
          return Future.succeededFuture(ApiReply.ok(new JsonObject().put("items", new JsonArray()).putNull("nextCursor")));
        }),
        context.endpoints().register(CatalogAddresses.PRODUCT_CREATE, message -> {
          record(message);
          return Future.succeededFuture(ApiReply.created(new JsonObject().put("id", 9), "/api/products/9").etag("\"v1\""));
        }),
        context.endpoints().register(CatalogAddresses.PRODUCT_UPDATE, message -> {
          record(message);
          return Future.failedFuture(new ServiceException(FailureCode.PRECONDITION_FAILED, "stale"));
        }),
        context.endpoints().register(CatalogAddresses.PRODUCT_DELETE, message -> {
          record(message);
          return Future.succeededFuture(ApiReply.noContent());
        }))).mapEmpty());
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  private static void record(Message<JsonObject> message) {
    received.add(message.body());
    receivedCallers.add(cluster.callerSeal().open(message));
  }

  private record Reply(int status, MultiMap headers, String body) {
  }

  private static Future<Reply> send(Vertx vertx, HttpMethod method, String uri, MultiMap headers, String body) {
    HttpClient client = vertx.createHttpClient();
    if (method != HttpMethod.GET) {
      headers.set("Authorization", "Bearer " + ADMIN_TOKEN);
    }
    RequestOptions options = new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(port).setURI(uri).setHeaders(headers);
    return client.request(options)
        .compose(request -> body == null ? request.send() : request.send(Buffer.buffer(body)))
        .compose(response -> response.body().map(b -> new Reply(response.statusCode(), response.headers(), b.toString())))
        // closing it at the end also keeps the client reachable until then: Vert.x closes an
        // unreachable client, and its pool with it, even with a request in flight
        .andThen(done -> client.close());
  }

  @Test
  void getForwardsPathAndQueryAndPassesCachingHeaders(Vertx vertx, VertxTestContext test) {
    send(vertx, HttpMethod.GET, "/api/products/42?fields=all", MultiMap.caseInsensitiveMultiMap(), null)
        .onComplete(test.succeeding(reply -> test.verify(() -> {
          assertThat(reply.status()).isEqualTo(200);
          assertThat(reply.headers().get("ETag")).isEqualTo("\"v3\"");
          assertThat(reply.headers().get("Cache-Control")).isEqualTo("public, max-age=0, s-maxage=60");
          assertThat(new JsonObject(reply.body()).getLong("id")).isEqualTo(42);
          ApiRequest forwarded = ApiRequest.fromJson(received.get(received.size() - 1));
          assertThat(forwarded.pathParam("id")).isEqualTo("42");
          assertThat(forwarded.queryParam("fields")).isEqualTo("all");
          assertThat(forwarded.body()).isNull();
          assertThat(receivedCallers.get(receivedCallers.size() - 1).authenticated()).isFalse();
          test.completeNow();
        })));
  }

  @Test
  void aMatchingIfNoneMatchIsAnswered304(Vertx vertx, VertxTestContext test) {
    send(vertx, HttpMethod.GET, "/api/products/42", MultiMap.caseInsensitiveMultiMap().add("If-None-Match", "\"v3\""), null)
        .compose(notModified -> {
          test.verify(() -> {
            assertThat(notModified.status()).isEqualTo(304);
            assertThat(notModified.body()).isEmpty();
          });
          return send(vertx, HttpMethod.GET, "/api/products/42", MultiMap.caseInsensitiveMultiMap().add("If-None-Match", "\"v2\""), null);
        })
        .onComplete(test.succeeding(changed -> test.verify(() -> {
          assertThat(changed.status()).isEqualTo(200);
          test.completeNow();
        })));
  }

  @Test
  void serviceFailuresBecomeTheirStatusAsProblems(Vertx vertx, VertxTestContext test) {
    send(vertx, HttpMethod.GET, "/api/products/404", MultiMap.caseInsensitiveMultiMap(), null)
        .compose(missing -> {
          test.verify(() -> {
            assertThat(missing.status()).isEqualTo(404);
            assertThat(missing.headers().get("Content-Type")).isEqualTo(Problem.MEDIA_TYPE);
            assertThat(new JsonObject(missing.body()).getString("detail")).isEqualTo("No product 404");
          });
          return send(vertx, HttpMethod.PUT, "/api/products/5", MultiMap.caseInsensitiveMultiMap()
              .add("Content-Type", "application/json").add("If-Match", "\"v1\""), "{\"name\":\"x\"}");
        })
        .onComplete(test.succeeding(stale -> test.verify(() -> {
          assertThat(stale.status()).isEqualTo(412);
          Caller caller = receivedCallers.get(receivedCallers.size() - 1);
          assertThat(caller.userId()).isEqualTo("admin-1");
          assertThat(caller.isAdmin()).isTrue();
          ApiRequest forwarded = ApiRequest.fromJson(received.get(received.size() - 1));
          assertThat(forwarded.header(ApiRequest.IF_MATCH)).isEqualTo("\"v1\"");
          assertThat(forwarded.body()).isEqualTo(new JsonObject().put("name", "x"));
          test.completeNow();
        })));
  }

  @Test
  void createAnswers201WithLocationAndDeleteAnswers204(Vertx vertx, VertxTestContext test) {
    send(vertx, HttpMethod.POST, "/api/products", MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json"),
        "{\"sku\":\"a-1\"}")
        .compose(created -> {
          test.verify(() -> {
            assertThat(created.status()).isEqualTo(201);
            assertThat(created.headers().get("Location")).isEqualTo("/api/products/9");
          });
          return send(vertx, HttpMethod.DELETE, "/api/products/9", MultiMap.caseInsensitiveMultiMap(), null);
        })
        .onComplete(test.succeeding(deleted -> test.verify(() -> {
          assertThat(deleted.status()).isEqualTo(204);
          test.completeNow();
        })));
  }

  @Test
  void writesNeedAnAdministrator(Vertx vertx, VertxTestContext test) {
    HttpClient client = vertx.createHttpClient();
    client.request(new RequestOptions().setMethod(HttpMethod.DELETE).setHost("127.0.0.1").setPort(port).setURI("/api/products/9"))
        .compose(request -> request.send())
        .compose(anonymous -> {
          test.verify(() -> assertThat(anonymous.statusCode()).isEqualTo(401));
          return client.request(new RequestOptions().setMethod(HttpMethod.DELETE).setHost("127.0.0.1").setPort(port)
              .setURI("/api/products/9").putHeader("Authorization", "Bearer " + "b".repeat(43)));
        })
        .compose(request -> request.send())
        .onComplete(test.succeeding(unknown -> test.verify(() -> {
          assertThat(unknown.statusCode()).isEqualTo(401);
          test.completeNow();
        })));
  }

  @Test
  void badBodiesNeverReachTheService(Vertx vertx, VertxTestContext test) {
    int before = received.size();
    MultiMap json = MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json");
    send(vertx, HttpMethod.POST, "/api/products", json, "{\"sku\": ")
        .compose(malformed -> {
          test.verify(() -> assertThat(malformed.status()).isEqualTo(400));
          return send(vertx, HttpMethod.POST, "/api/products", json, "{\"name\":\"" + "x".repeat(4000) + "\"}");
        })
        .compose(tooLarge -> {
          test.verify(() -> {
            assertThat(tooLarge.status()).isEqualTo(413);
            assertThat(tooLarge.headers().get("Content-Type")).isEqualTo(Problem.MEDIA_TYPE);
          });
          return send(vertx, HttpMethod.POST, "/api/products", MultiMap.caseInsensitiveMultiMap().add("Content-Type", "text/plain"), "sku=a");
        })
        .onComplete(test.succeeding(wrongType -> test.verify(() -> {
          assertThat(wrongType.status()).isEqualTo(415);
          assertThat(received.size()).isEqualTo(before);
          test.completeNow();
        })));
  }
}
