package io.scaleout.system;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.scaleout.testsupport.Await;
import io.scaleout.testsupport.HttpTestClient;
import io.scaleout.testsupport.Waiting;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Users, logins, throttling, cookies and carts through a real gateway, session service and catalog. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SessionApiTest {
  private static final String PASSWORD = "correct horse battery";
  private static final int CART_MAX_ITEMS = 5;
  private static Shop shop;
  private static HttpTestClient gateway;
  private static Vertx vertx;
  private static Redis redis;

  @BeforeAll
  static void start() {
    // generous hashing waits: the 50-login burst may take ~10 s on a busy 2-core CI box, and this
    // class tests the event loops, not the overload limits (a hash that waited too long is a 503)
    shop = new Shop(Map.of("PASSWORD_HASH_MAX_WAIT_MS", "25000", "CART_MAX_ITEMS", Integer.toString(CART_MAX_ITEMS))).startCatalog().startSessionProcess().startWorkerStandIn();
    // the test process is the trusted proxy: X-Forwarded-For names the client (throttling by address)
    gateway = shop.startGateway(Map.of("PASSWORD_ROUTE_TIMEOUT_MS", "28000", "TRUSTED_PROXIES", "127.0.0.1"));
    vertx = Vertx.vertx();
    redis = Redis.createClient(vertx, "redis://127.0.0.1:6379/0");
  }

  @AfterAll
  static void stop() {
    shop.close();
    vertx.close();
  }

  /** Every test starts with no failed-login counters (they are per address, and all tests share 127.0.0.1). */
  @BeforeEach
  void clearThrottle() {
    Response keys = Await.result(redis.send(Request.cmd(Command.KEYS).arg(shop.redisPrefix + "login-failures:*")), Duration.ofSeconds(5));
    for (Response key : keys) {
      Await.result(redis.send(Request.cmd(Command.DEL).arg(key.toString())), Duration.ofSeconds(5));
    }
  }

  @Test
  @Order(1)
  void unknownEmailAndWrongPasswordLookAndTakeTheSame() {
    String email = newUser();
    List<Long> unknown = new ArrayList<>();
    List<Long> wrong = new ArrayList<>();
    String unknownBody = null;
    String wrongBody = null;
    for (int i = 0; i < 36; i++) {
      if (i % 4 == 3) {
        clearThrottle();
      }
      // alternate which goes first, and let the first rounds warm the JIT up
      boolean unknownFirst = i % 2 == 0;
      HttpTestClient.Response a = unknownFirst ? Shop.login(gateway, "nobody-" + i + "@example.org", PASSWORD) : null;
      HttpTestClient.Response b = Shop.login(gateway, email, "wrong password " + i);
      if (!unknownFirst) {
        a = Shop.login(gateway, "nobody-" + i + "@example.org", PASSWORD);
      }
      assertThat(a.status()).isEqualTo(401);
      assertThat(b.status()).isEqualTo(401);
      if (i >= 4) {
        unknown.add(a.took().toNanos());
        wrong.add(b.took().toNanos());
      }
      unknownBody = withoutRequestId(a.json());
      wrongBody = withoutRequestId(b.json());
    }
    assertThat(unknownBody).isEqualTo(wrongBody);
    // each pair ran back to back, so the machine's drift (2 noisy cores) hits both alike
    List<Double> ratios = new ArrayList<>();
    for (int i = 0; i < unknown.size(); i++) {
      ratios.add((double) unknown.get(i) / wrong.get(i));
    }
    double ratio = ratios.stream().sorted().toList().get(ratios.size() / 2);
    System.out.printf("MEASURED login median: unknown email %.1f ms, wrong password %.1f ms, median pair ratio %.2f%n",
        median(unknown) / 1e6, median(wrong) / 1e6, ratio);
    assertThat(ratio).isBetween(0.8, 1.25);
  }

  @Test
  @Order(2)
  void theEleventhWrongPasswordIsThrottledAndSoIsTheRightOne() {
    String email = newUser();
    for (int i = 1; i <= 10; i++) {
      assertThat(Shop.login(gateway, email, "wrong password").status()).as("attempt %d", i).isEqualTo(401);
    }
    HttpTestClient.Response eleventh = Shop.login(gateway, email, "wrong password");
    assertThat(eleventh.status()).isEqualTo(429);
    assertThat(Integer.parseInt(eleventh.headers().get("Retry-After"))).isBetween(1, 60);
    assertThat(eleventh.headers().get("Content-Type")).isEqualTo("application/problem+json");
    assertThat(Shop.login(gateway, email, PASSWORD).status()).isEqualTo(429);

    String metrics = new HttpTestClient(vertx, shop.sessionProcess.managementPort()).get("/metrics").body();
    assertThat(metrics).containsPattern("session_logins_total\\{[^}]*outcome=\"throttled\"[^}]*\\} [1-9]");
    assertThat(metrics).containsPattern("session_logins_total\\{[^}]*outcome=\"failure\"[^}]*\\} [1-9]");
    assertThat(metrics).containsPattern("session_password_hash_seconds_count\\{[^}]*\\} [1-9]");
  }

  @Test
  @Order(2)
  void fiftyWrongPasswordsAtOnceGetAtMostTheLimitOf401s() {
    String email = newUser();
    HttpTestClient logins = new HttpTestClient(vertx, gateway.port(), 50);
    String body = new JsonObject().put("email", email).put("password", "wrong password").encode();
    List<Future<HttpTestClient.Response>> attempts = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      attempts.add(logins.sendAsync(HttpMethod.POST, "/api/sessions", HttpTestClient.headers("Content-Type", "application/json"), body));
    }
    List<Integer> statuses = attempts.stream().map(attempt -> Await.result(attempt, Duration.ofSeconds(60)).status()).toList();

    System.out.println("MEASURED 50 wrong passwords at once: " + statuses.stream().filter(s -> s == 401).count() + " x 401, "
        + statuses.stream().filter(s -> s == 429).count() + " x 429");
    assertThat(statuses).containsOnly(401, 429);
    assertThat(statuses.stream().filter(status -> status == 401).count()).as("no more than the limit get to try").isEqualTo(10);
    assertThat(Shop.login(gateway, email, PASSWORD).status()).as("the right one too, until the window ends").isEqualTo(429);
  }

  @Test
  @Order(2)
  void failingOnPurposeFromElsewhereDoesNotLockTheOwnerOut() {
    String email = newUser();
    List<Integer> attacker = new ArrayList<>();
    for (int i = 0; i < 15; i++) {
      attacker.add(loginFrom("10.66.0.1", email, "wrong password").status());
    }
    assertThat(attacker.subList(0, 10)).containsOnly(401);
    assertThat(attacker.subList(10, 15)).containsOnly(429);

    assertThat(loginFrom("10.66.0.2", email, PASSWORD).status()).as("the owner, from their own address").isEqualTo(201);
  }

  @Test
  @Order(2)
  void pastTheLimitEachFailureDoublesTheWait() {
    String email = newUser();
    for (int i = 0; i < 10; i++) {
      assertThat(loginFrom("10.67.0.1", email, "wrong password").status()).isEqualTo(401);
    }
    HttpTestClient.Response first = loginFrom("10.67.0.1", email, "wrong password");
    assertThat(first.status()).isEqualTo(429);
    long firstWait = Long.parseLong(first.headers().get("Retry-After"));
    assertThat(firstWait).isEqualTo(1);

    Waiting.pause(1100);
    assertThat(loginFrom("10.67.0.1", email, "wrong password").status()).as("after the wait, one more try").isEqualTo(401);
    HttpTestClient.Response second = loginFrom("10.67.0.1", email, "wrong password");
    assertThat(second.status()).isEqualTo(429);
    assertThat(Long.parseLong(second.headers().get("Retry-After"))).as("twice the first wait").isEqualTo(2);
  }

  @Test
  @Order(2)
  void anAddressFailingOverManyAccountsIsRefusedForAll() {
    String email = newUser();
    for (int i = 0; i < 100; i++) {
      assertThat(loginFrom("10.68.0.1", "nobody-" + i + "-" + UUID.randomUUID() + "@example.org", PASSWORD).status())
          .as("failure %d", i + 1).isEqualTo(401);
    }
    assertThat(loginFrom("10.68.0.1", email, PASSWORD).status()).as("LOGIN_ADDRESS_FAILURE_LIMIT reached").isEqualTo(429);
    assertThat(loginFrom("10.68.0.2", email, PASSWORD).status()).as("from another address").isEqualTo(201);
  }

  private static HttpTestClient.Response loginFrom(String address, String email, String password) {
    return gateway.json(HttpMethod.POST, "/api/sessions", HttpTestClient.headers("X-Forwarded-For", address),
        new JsonObject().put("email", email).put("password", password));
  }

  @Test
  @Order(3)
  void cookiesAreHttpOnlyAndSameSiteAndTheStoreHoldsNoToken() {
    String email = newUser();
    HttpTestClient.Response login = Shop.login(gateway, email, PASSWORD);
    String token = login.json().getString("token");
    String cookie = login.headers().getAll("Set-Cookie").stream().filter(c -> c.startsWith("SID=")).findFirst().orElseThrow();
    assertThat(cookie).contains("SID=" + token).containsIgnoringCase("; HttpOnly").contains("SameSite=Lax").contains("Path=/");
    assertThat(login.json().getJsonObject("user").getString("email")).isEqualTo(email);

    Response keys = Await.result(redis.send(Request.cmd(Command.KEYS).arg(shop.redisPrefix + "*")), Duration.ofSeconds(5));
    assertThat(keys.size()).isPositive();
    for (Response key : keys) {
      assertThat(key.toString()).doesNotContain(token);
      Response type = Await.result(redis.send(Request.cmd(Command.TYPE).arg(key.toString())), Duration.ofSeconds(5));
      if ("string".equals(type.toString())) {
        Response value = Await.result(redis.send(Request.cmd(Command.GET).arg(key.toString())), Duration.ofSeconds(5));
        assertThat(value.toString()).doesNotContain(token);
      }
    }
  }

  @Test
  @Order(4)
  void aCookieAuthenticatedChangeNeedsXRequestedWithButABearerOneDoesNot() {
    String token = Shop.token(gateway, newUser(), PASSWORD);
    long product = createProduct();
    String body = new JsonObject().put("quantity", 2).encode();
    MultiMap cookie = HttpTestClient.headers("Cookie", "SID=" + token);

    HttpTestClient.Response forged = gateway.json(HttpMethod.PUT, "/api/cart/items/" + product, cookie, body);
    assertThat(forged.status()).isEqualTo(403);
    HttpTestClient.Response fromPage = gateway.json(HttpMethod.PUT, "/api/cart/items/" + product,
        HttpTestClient.headers("Cookie", "SID=" + token, "X-Requested-With", "XMLHttpRequest"), body);
    assertThat(fromPage.status()).isEqualTo(200);
    HttpTestClient.Response bearer = gateway.json(HttpMethod.PUT, "/api/cart/items/" + product, Shop.bearer(token),
        new JsonObject().put("quantity", 3).encode());
    assertThat(bearer.status()).isEqualTo(200);
    assertThat(bearer.json().getJsonArray("items").getJsonObject(0).getInteger("quantity")).isEqualTo(3);
    assertThat(gateway.send(HttpMethod.GET, "/api/cart", cookie).status()).as("reads need no header").isEqualTo(200);
  }

  @Test
  @Order(5)
  void cartsHoldExistingProductsOnly() {
    String token = Shop.token(gateway, newUser(), PASSWORD);
    long product = createProduct();
    MultiMap auth = Shop.bearer(token);

    assertThat(gateway.send(HttpMethod.GET, "/api/cart", auth).json().getJsonArray("items")).isEmpty();
    HttpTestClient.Response added = gateway.json(HttpMethod.PUT, "/api/cart/items/" + product, auth, new JsonObject().put("quantity", 5).encode());
    assertThat(added.status()).isEqualTo(200);
    assertThat(added.json().getLong("count")).isEqualTo(5);
    assertThat(added.headers().get("Cache-Control")).contains("no-store");
    for (Object bad : List.of(0, 100, "two", 1.5)) {
      assertThat(gateway.json(HttpMethod.PUT, "/api/cart/items/" + product, auth, new JsonObject().put("quantity", bad).encode()).status())
          .as("quantity %s", bad).isEqualTo(400);
    }
    assertThat(gateway.json(HttpMethod.PUT, "/api/cart/items/987654321", auth, new JsonObject().put("quantity", 1).encode()).status())
        .isEqualTo(404);
    assertThat(gateway.send(HttpMethod.DELETE, "/api/cart/items/" + product, auth).json().getJsonArray("items")).isEmpty();
    assertThat(gateway.send(HttpMethod.GET, "/api/cart", HttpTestClient.headers()).status()).isEqualTo(401);
  }

  @Test
  @Order(5)
  void productsAddedAtOnceFillACartUpToItsLimitAndNoFurther() {
    String token = Shop.token(gateway, newUser(), PASSWORD);
    MultiMap auth = Shop.bearer(token);
    String admin = Shop.token(gateway, Shop.ADMIN_EMAIL, Shop.ADMIN_PASSWORD);
    List<Long> products = new ArrayList<>();
    for (int i = 0; i < CART_MAX_ITEMS * 3; i++) {
      products.add(createProduct(admin));
    }
    HttpTestClient concurrent = new HttpTestClient(vertx, gateway.port(), products.size());
    String one = new JsonObject().put("quantity", 1).encode();
    List<Future<HttpTestClient.Response>> adds = products.stream().map(product -> concurrent.sendAsync(HttpMethod.PUT,
        "/api/cart/items/" + product, HttpTestClient.headers("Authorization", "Bearer " + token, "Content-Type", "application/json"), one))
        .toList();
    List<Integer> statuses = adds.stream().map(add -> Await.result(add, Duration.ofSeconds(30)).status()).toList();

    assertThat(statuses.stream().filter(status -> status == 200).count()).as(statuses.toString()).isEqualTo(CART_MAX_ITEMS);
    assertThat(statuses.stream().filter(status -> status == 409).count()).as(statuses.toString())
        .isEqualTo(products.size() - CART_MAX_ITEMS);
    assertThat(gateway.send(HttpMethod.GET, "/api/cart", auth).json().getJsonArray("items")).hasSize(CART_MAX_ITEMS);
  }

  @Test
  @Order(6)
  void onlyTheAdministratorWritesTheCatalog() {
    String user = Shop.token(gateway, newUser(), PASSWORD);
    JsonObject product = new JsonObject().put("sku", "nope-1").put("name", "No").put("category", "misc")
        .put("priceCents", 1).put("currency", "EUR").put("stock", 1);
    assertThat(gateway.json(HttpMethod.POST, "/api/products", Shop.bearer(user), product.encode()).status()).isEqualTo(403);
    assertThat(gateway.json(HttpMethod.POST, "/api/products", HttpTestClient.headers(), product.encode()).status()).isEqualTo(401);
    HttpTestClient.Response admin = Shop.login(gateway, Shop.ADMIN_EMAIL, Shop.ADMIN_PASSWORD);
    assertThat(admin.json().getJsonObject("user").getJsonArray("roles")).contains("admin");
  }

  @Test
  @Order(7)
  void badInputIsAProblemNeverA5xx() {
    List<String> bodies = List.of(
        "{\"email\": ",
        "[]",
        "{}",
        "{\"email\":\"a@example.org\"}",
        "{\"email\":\"not-an-email\",\"password\":\"long enough password\",\"name\":\"x\"}",
        "{\"email\":\"short@example.org\",\"password\":\"short\",\"name\":\"x\"}",
        "{\"email\":\"lone@example.org\",\"password\":\"surrogate \\ud800 inside\",\"name\":\"x\"}",
        "{\"email\":\"nul@example.org\",\"password\":\"long enough password\",\"name\":\"a\\u0000b\"}",
        "{\"email\":\"x@example.org\",\"password\":\"" + "p".repeat(200) + "\",\"name\":\"x\"}",
        "{\"email\":\"x@example.org\",\"password\":12345678901,\"name\":\"x\"}",
        "{\"email\":\"x@example.org\",\"password\":\"long enough password\",\"name\":\"x\",\"role\":\"admin\"}");
    for (String body : bodies) {
      HttpTestClient.Response response = gateway.json(HttpMethod.POST, "/api/users", HttpTestClient.headers(), body);
      assertThat(response.status()).as(body).isBetween(400, 499);
      assertThat(response.headers().get("Content-Type")).as(body).isEqualTo("application/problem+json");
    }
    for (String body : List.of("{\"email\": ", "{}", "{\"email\":\"x@example.org\"}", "{\"email\":\"x@example.org\",\"password\":\"\\ud800\"}")) {
      assertThat(gateway.json(HttpMethod.POST, "/api/sessions", HttpTestClient.headers(), body).status()).as(body).isBetween(400, 499);
    }
    String huge = "{\"email\":\"x@example.org\",\"password\":\"" + "p".repeat(10 * 1024 * 1024) + "\"}";
    assertThat(gateway.json(HttpMethod.POST, "/api/sessions", HttpTestClient.headers(), huge).status()).isEqualTo(413);
    // unusual but valid text is accepted
    HttpTestClient.Response unicode = gateway.json(HttpMethod.POST, "/api/users", HttpTestClient.headers(),
        new JsonObject().put("email", "用户-" + UUID.randomUUID().toString().substring(0, 6) + "@例子.广告")
            .put("password", "пароль-密码-🔑🔑").put("name", "Zoë 🙂").encode());
    assertThat(unicode.status()).as(unicode.body()).isEqualTo(201);
    assertThat(gateway.send(HttpMethod.GET, "/api/sessions/current", Shop.bearer("x".repeat(43))).status()).isEqualTo(401);
    assertThat(gateway.send(HttpMethod.GET, "/api/sessions/current", Shop.bearer("not a token")).status()).isEqualTo(401);
  }

  @Test
  @Order(8)
  void pingsStayFastWhileFiftyLoginsHash() throws InterruptedException {
    // five accounts, ten sign-ins each: one account lets no more than LOGIN_FAILURE_LIMIT attempts through at once
    List<String> emails = List.of(newUser(), newUser(), newUser(), newUser(), newUser());
    Logger blockedChecker = (Logger) LoggerFactory.getLogger(io.vertx.core.internal.threadchecker.BlockedThreadChecker.LOGGER_NAME);
    ListAppender<ILoggingEvent> blocked = new ListAppender<>();
    blocked.start();
    blockedChecker.addAppender(blocked);
    try {
      HttpTestClient logins = new HttpTestClient(vertx, gateway.port(), 50);
      // open the 50 connections first: accepting them is not what this test measures
      List<Future<HttpTestClient.Response>> warm = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        warm.add(logins.sendAsync(HttpMethod.GET, "/api/ping", HttpTestClient.headers(), null));
      }
      warm.forEach(f -> Await.result(f, Duration.ofSeconds(30)));
      for (int i = 0; i < 100; i++) {
        gateway.get("/api/ping");
      }
      long start = System.nanoTime();
      List<Future<HttpTestClient.Response>> inFlight = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        String body = new JsonObject().put("email", emails.get(i % emails.size())).put("password", PASSWORD).encode();
        inFlight.add(logins.sendAsync(HttpMethod.POST, "/api/sessions", HttpTestClient.headers("Content-Type", "application/json"), body));
      }
      // The first ~0.3 s is the admission of the burst (50 requests parsed, forwarded, users looked
      // up), which on 2 cores delays a concurrent ping by up to ~150 ms; what is measured here is the
      // hashing phase that follows, with nearly all logins still in flight.
      Thread.sleep(300);
      assertThat(inFlight.stream().filter(f -> !f.isComplete()).count()).as("logins still in flight").isGreaterThanOrEqualTo(40);
      List<Duration> pings = new ArrayList<>();
      while (inFlight.stream().anyMatch(f -> !f.isComplete()) && pings.size() < 400) {
        HttpTestClient.Response ping = gateway.get("/api/ping");
        assertThat(ping.status()).isEqualTo(200);
        pings.add(ping.took());
      }
      inFlight.forEach(f -> assertThat(Await.result(f, Duration.ofSeconds(30)).status()).isEqualTo(201));
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf("MEASURED 50 concurrent logins in %.2f s: %.1f logins/s; %d pings meanwhile, slowest %s ms%n",
          seconds, 50 / seconds, pings.size(), pings.stream().map(Duration::toMillis).sorted(java.util.Comparator.reverseOrder()).limit(8).toList());
      // Hashing on an event loop would hold every ping for whole hashes (~65 ms each, seconds in a
      // queue). On 2 saturated cores a GC pause or scheduling hiccup can still delay a rare ping, so:
      // 99% within 50 ms, none near a hash queue.
      long slow = pings.stream().filter(took -> took.compareTo(Duration.ofMillis(50)) >= 0).count();
      assertThat(pings).hasSizeGreaterThan(50).allSatisfy(took -> assertThat(took).isLessThan(Duration.ofMillis(250)));
      assertThat(slow).as("pings over 50 ms of %d", pings.size()).isLessThanOrEqualTo(pings.size() / 100);
      assertThat(blocked.list).isEmpty();
    } finally {
      blockedChecker.detachAppender(blocked);
    }
  }

  @Test
  @Order(9)
  void aCartChangeAnswers503AtOnceWhenTheCatalogIsDown() {
    String token = Shop.token(gateway, newUser(), PASSWORD);
    Await.result(shop.catalogNode.shutdown(), Duration.ofSeconds(60));

    HttpTestClient.Response response = gateway.json(HttpMethod.PUT, "/api/cart/items/1", Shop.bearer(token),
        new JsonObject().put("quantity", 1).encode());
    assertThat(response.status()).isEqualTo(503);
    assertThat(response.took()).isLessThan(Duration.ofSeconds(3));
  }

  private static String newUser() {
    String email = "user-" + UUID.randomUUID() + "@example.org";
    Shop.register(gateway, email, PASSWORD);
    return email;
  }

  private static long createProduct() {
    return createProduct(Shop.token(gateway, Shop.ADMIN_EMAIL, Shop.ADMIN_PASSWORD));
  }

  private static long createProduct(String admin) {
    HttpTestClient.Response created = gateway.json(HttpMethod.POST, "/api/products", Shop.bearer(admin),
        new JsonObject().put("sku", "sys-" + UUID.randomUUID().toString().substring(0, 8)).put("name", "Mug")
            .put("category", "kitchen").put("priceCents", 900).put("currency", "EUR").put("stock", 5).encode());
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return created.json().getLong("id");
  }

  private static String withoutRequestId(JsonObject problem) {
    JsonObject copy = problem.copy();
    copy.remove("requestId");
    return copy.encode();
  }

  private static long median(List<Long> values) {
    List<Long> sorted = values.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }
}
