package io.scaleout.system;

import io.scaleout.common.api.ApiRequest;
import io.scaleout.common.api.Caller;
import io.scaleout.common.api.CallerSeal;
import io.scaleout.common.bus.InstanceAddresses;
import io.scaleout.common.catalog.CatalogAddresses;
import io.scaleout.common.session.SessionAddresses;
import io.scaleout.common.session.SessionTokens;
import io.scaleout.testsupport.Await;
import io.scaleout.testsupport.ClusterCertificates;
import io.scaleout.testsupport.HttpTestClient;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Processes that join the Hazelcast cluster by its name alone: one whose event bus speaks plain TCP,
 * one presenting a certificate of an authority the cluster does not trust. Neither receives a
 * request meant for a service (logins with passwords, session lookups, catalog writes), neither can
 * make a service act for an administrator, and a session one writes into the data grid is no
 * session. A member with the cluster's certificate but not its identity key cannot either.
 */
class RogueMemberTest {
  private static final String PASSWORD = "correct horse battery";
  private static Shop shop;
  private static HttpTestClient gateway;
  private static Vertx plain;
  private static Vertx stranger;

  @BeforeAll
  static void start() {
    shop = new Shop(Map.of("SESSION_STORE", "grid")).startCatalog().startSessions(1);
    gateway = shop.startGateway(Map.of());
    plain = shop.cluster.startClient(Map.of("CLUSTER_TLS", "off"));
    stranger = shop.cluster.startClient(ClusterCertificates.stranger().environment());
  }

  @AfterAll
  static void stop() {
    shop.close();
  }

  @Test
  void aRogueMemberReceivesNoRequest() {
    List<String> targets = new ArrayList<>();
    for (String address : List.of(SessionAddresses.LOGIN, SessionAddresses.RESOLVE, SessionAddresses.REGISTER)) {
      targets.add(address);
      shop.sessionNodes.forEach(node -> targets.add(InstanceAddresses.of(address, node.node().instanceId())));
    }
    for (String address : List.of(CatalogAddresses.PRODUCTS_LIST, CatalogAddresses.PRODUCT_CREATE)) {
      targets.add(address);
      targets.add(InstanceAddresses.of(address, shop.catalogNode.node().instanceId()));
    }
    AtomicInteger received = new AtomicInteger();
    List<MessageConsumer<JsonObject>> consumers = new ArrayList<>();
    for (Vertx rogue : List.of(plain, stranger)) {
      for (String address : targets) {
        consumers.add(rogue.eventBus().consumer(address, message -> received.incrementAndGet()));
      }
    }
    Await.result(Future.all(consumers.stream().map(MessageConsumer::completion).toList()), Duration.ofSeconds(30));
    try {
      sendThroughTheGateway(received);
    } finally {
      Await.result(Future.join(consumers.stream().map(MessageConsumer::unregister).toList()), Duration.ofSeconds(30));
    }
  }

  private static void sendThroughTheGateway(AtomicInteger received) {
    String email = "rogue-" + UUID.randomUUID() + "@example.org";
    List<Integer> statuses = new ArrayList<>();
    statuses.add(gateway.json(HttpMethod.POST, "/api/users", HttpTestClient.headers(),
        new JsonObject().put("email", email).put("password", PASSWORD).put("name", "Rogue target")).status());
    for (int i = 0; i < 5; i++) {
      HttpTestClient.Response login = Shop.login(gateway, email, PASSWORD);
      statuses.add(login.status());
      if (login.status() == 201) {
        statuses.add(gateway.send(HttpMethod.GET, "/api/sessions/current", Shop.bearer(login.json().getString("token"))).status());
      }
      statuses.add(gateway.get("/api/products?q=rogue" + i).status());
    }
    HttpTestClient.Response admin = Shop.login(gateway, Shop.ADMIN_EMAIL, Shop.ADMIN_PASSWORD);
    statuses.add(admin.status());
    if (admin.status() == 201) {
      statuses.add(createProduct(admin.json().getString("token"), "sys-" + UUID.randomUUID()));
    }

    assertThat(received.get()).as("requests a rogue member received").isZero();
    // the rogue's registrations can make the first attempt at a request fail (its connection is
    // refused); what was answered was answered by the real instances
    assertThat(statuses.stream().filter(status -> status < 300).count()).as(statuses.toString()).isGreaterThan(0);
  }

  @Test
  void aRogueMemberCannotActAsAnAdministrator() {
    String sku = "rogue-" + UUID.randomUUID();
    MultiMap forged = MultiMap.caseInsensitiveMultiMap().add(CallerSeal.USER_ID, "rogue").add(CallerSeal.ROLES, "admin")
        .add(CallerSeal.EXPIRES, Long.toString(Instant.now().plusSeconds(60).toEpochMilli()))
        .add(CallerSeal.SIGNATURE, "forged");
    for (Vertx rogue : List.of(plain, stranger)) {
      Throwable failure = Await.failure(rogue.eventBus().request(CatalogAddresses.PRODUCT_CREATE, create(sku),
          new DeliveryOptions().setHeaders(forged).setSendTimeout(3000)), Duration.ofSeconds(10));
      assertThat(failure).isNotNull();
    }

    // a process with a member's certificate but without the identity key: its callers are refused
    Vertx member = shop.cluster.startClient();
    MultiMap unsigned = MultiMap.caseInsensitiveMultiMap().add(CallerSeal.USER_ID, "rogue").add(CallerSeal.ROLES, "admin");
    assertThat(failureCode(member, unsigned)).isEqualTo(401);
    assertThat(failureCode(member, forged)).isEqualTo(401);
    // an administrator's signed headers taken from a request to another address
    MultiMap replayed = shop.cluster.callerSeal().sign(new Caller("admin-1", Set.of("admin")), CatalogAddresses.PRODUCTS_LIST,
        new DeliveryOptions()).getHeaders();
    assertThat(failureCode(member, replayed)).isEqualTo(401);

    JsonArray found = gateway.get("/api/products?q=" + sku).json().getJsonArray("items");
    assertThat(found).as("products made by rogue members").isEmpty();
  }

  @Test
  void aMemberAnsweringSessionLookupsCannotMakeAnyoneAnAdministrator() {
    Vertx member = shop.cluster.startClient();
    List<String> addresses = new ArrayList<>(List.of(SessionAddresses.RESOLVE));
    shop.sessionNodes.forEach(node -> addresses.add(InstanceAddresses.of(SessionAddresses.RESOLVE, node.node().instanceId())));
    AtomicInteger answered = new AtomicInteger();
    List<MessageConsumer<JsonObject>> consumers = addresses.stream().map(address -> member.eventBus().<JsonObject>consumer(address,
        message -> {
          answered.incrementAndGet();
          message.reply(new JsonObject().put("user", new JsonObject().put("id", "rogue").put("roles", new JsonArray().add("admin")))
              .put("expiresAt", Instant.now().plusSeconds(3600).toString())
              .put(SessionAddresses.TOKEN_HASH_FIELD, message.body().getString(SessionAddresses.TOKEN_HASH_FIELD)));
        })).toList();
    Await.result(Future.all(consumers.stream().map(MessageConsumer::completion).toList()), Duration.ofSeconds(30));
    List<Integer> statuses = new ArrayList<>();
    try {
      for (int i = 0; i < 8; i++) {
        statuses.add(createProduct(SessionTokens.newToken(), "rogue-" + UUID.randomUUID()));
      }
    } finally {
      Await.result(Future.join(consumers.stream().map(MessageConsumer::unregister).toList()), Duration.ofSeconds(30));
    }

    assertThat(answered.get()).as("lookups the member answered").isPositive();
    assertThat(statuses).as("a made-up token with a member's answer").doesNotContain(201).containsOnly(401, 503);
  }

  @Test
  void aSessionWrittenIntoTheGridWithoutTheKeyIsNoSession() {
    JsonObject session = new JsonObject()
        .put("user", new JsonObject().put("id", "rogue").put("email", "rogue@example.org").put("name", "Rogue")
            .put("roles", new JsonArray().add("user").add("admin")))
        .put("createdAt", Instant.now().toEpochMilli())
        .put("absoluteExpiresAt", Instant.now().plusSeconds(3600).toEpochMilli());
    long deadline = Instant.now().plusSeconds(60).toEpochMilli();
    for (String value : List.of(session.encode(), "forged-signature " + deadline + " " + session.encode())) {
      // a token of its own for each: the gateway refuses a token it once found unknown without asking again
      String token = SessionTokens.newToken();
      String hash = SessionTokens.hash(token);
      Await.result(plain.sharedData().<String, String>getClusterWideMap(shop.redisPrefix + "sessions")
          .compose(map -> map.put(hash, value, 60_000)), Duration.ofSeconds(10));

      assertThat(gateway.send(HttpMethod.GET, "/api/sessions/current", Shop.bearer(token)).status()).isEqualTo(401);
      assertThat(createProduct(token, "rogue-" + UUID.randomUUID())).isEqualTo(401);
    }
  }

  private static int failureCode(Vertx member, MultiMap headers) {
    Throwable failure = Await.failure(member.eventBus().request(CatalogAddresses.PRODUCT_CREATE, create("rogue-" + UUID.randomUUID()),
        new DeliveryOptions().setHeaders(headers).setSendTimeout(5000)), Duration.ofSeconds(10));
    if (failure instanceof ReplyException reply) {
      return reply.failureCode();
    }
    throw new AssertionError("the request failed without an answer", failure);
  }

  private static JsonObject create(String sku) {
    return new ApiRequest(new JsonObject(), new JsonObject(), product(sku), new JsonObject()).toJson();
  }

  private static JsonObject product(String sku) {
    return new JsonObject().put("sku", sku).put("name", sku).put("category", "rogue").put("priceCents", 100)
        .put("currency", "EUR").put("stock", 1);
  }

  private static int createProduct(String token, String sku) {
    return gateway.json(HttpMethod.POST, "/api/products", Shop.bearer(token), product(sku).encode()).status();
  }
}
