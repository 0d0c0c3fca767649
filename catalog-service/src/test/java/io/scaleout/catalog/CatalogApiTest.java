package io.scaleout.catalog;

import io.scaleout.common.api.ApiReply;
import io.scaleout.common.api.ApiRequest;
import io.scaleout.common.api.Caller;
import io.scaleout.common.catalog.CatalogAddresses;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The catalog's API over a real cluster and a real Postgres database of its own. */
class CatalogApiTest {
  private static OwnCatalog own;
  private static CatalogClient catalog;

  @BeforeAll
  static void start() {
    own = new OwnCatalog("catalog_api");
    catalog = own.client();
  }

  @AfterAll
  static void stop() {
    own.close();
  }

  @Test
  void createReadUpdateDeleteWithVersions() {
    CatalogClient.Reply created = catalog.create(CatalogClient.product("crud-1", "kitchen", 1299), CatalogClient.ADMIN);
    assertThat(created.status()).as(String.valueOf(created.problem())).isEqualTo(201);
    long id = created.json().getLong("id");
    assertThat(created.headers().get(ApiReply.LOCATION)).isEqualTo("/api/products/" + id);
    assertThat(created.json().getLong("version")).isEqualTo(1);

    CatalogClient.Reply read = catalog.get(id);
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.headers().get(ApiReply.ETAG)).isEqualTo("\"v1\"");
    assertThat(read.headers().get(ApiReply.CACHE_CONTROL)).contains("s-maxage");
    assertThat(read.json().getString("currency")).isEqualTo("EUR");
    assertThat(read.json().getString("createdAt")).isNotBlank();

    JsonObject changed = read.json().copy().put("priceCents", 1499);
    assertThat(catalog.update(id, null, changed, CatalogClient.ADMIN).status()).isEqualTo(428);
    CatalogClient.Reply updated = catalog.update(id, "\"v1\"", changed, CatalogClient.ADMIN);
    assertThat(updated.status()).isEqualTo(200);
    assertThat(updated.json().getLong("version")).isEqualTo(2);
    assertThat(updated.headers().get(ApiReply.ETAG)).isEqualTo("\"v2\"");
    CatalogClient.Reply stale = catalog.update(id, "\"v1\"", changed, CatalogClient.ADMIN);
    assertThat(stale.status()).isEqualTo(412);
    assertThat(stale.problem().extensions().getLong("currentVersion")).isEqualTo(2);
    assertThat(catalog.get(id).json().getLong("priceCents")).isEqualTo(1499);

    assertThat(catalog.delete(id, CatalogClient.ADMIN).status()).isEqualTo(204);
    assertThat(catalog.get(id).status()).isEqualTo(404);
    assertThat(catalog.delete(id, CatalogClient.ADMIN).status()).isEqualTo(404);
    assertThat(catalog.update(id, "\"v2\"", changed, CatalogClient.ADMIN).status()).isEqualTo(404);
  }

  @Test
  void onlyAdministratorsWrite() {
    JsonObject body = CatalogClient.product("auth-1", "kitchen", 100);
    assertThat(catalog.create(body, Caller.ANONYMOUS).status()).isEqualTo(401);
    assertThat(catalog.create(body, CatalogClient.SHOPPER).status()).isEqualTo(403);
  }

  @Test
  void duplicateSkuIsAConflictNamingTheField() {
    assertThat(catalog.create(CatalogClient.product("dup-1", "garden", 100), CatalogClient.ADMIN).status()).isEqualTo(201);
    CatalogClient.Reply again = catalog.create(CatalogClient.product("dup-1", "garden", 200), CatalogClient.ADMIN);
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.problem().extensions().getString("field")).isEqualTo("sku");
  }

  @Test
  void everyInvalidFieldIsA400NamingIt() {
    Map<String, JsonObject> bad = new HashMap<>();
    bad.put("sku", CatalogClient.product("bad sku!", "kitchen", 1));
    bad.put("name", CatalogClient.product("n-1", "kitchen", 1).put("name", "  "));
    bad.put("category", CatalogClient.product("c-1", "Kitchen Tools", 1));
    bad.put("priceCents", CatalogClient.product("p-1", "kitchen", 1).put("priceCents", 12.5));
    bad.put("currency", CatalogClient.product("cur-1", "kitchen", 1).put("currency", "euro"));
    bad.put("stock", CatalogClient.product("s-1", "kitchen", 1).put("stock", -1));
    bad.put("images", CatalogClient.product("i-1", "kitchen", 1).put("images", new JsonArray().add(42)));
    bad.put("colour", CatalogClient.product("u-1", "kitchen", 1).put("colour", "red"));
    bad.put("description", CatalogClient.product("d-1", "kitchen", 1).put("description", "x".repeat(5001)));
    bad.forEach((field, body) -> {
      CatalogClient.Reply reply = catalog.create(body, CatalogClient.ADMIN);
      assertThat(reply.status()).as(field).isEqualTo(400);
      assertThat(reply.problem().extensions().getString("field")).as(field).isEqualTo(field);
    });
    CatalogClient.Reply notAnObject = catalog.await(catalog.send(CatalogAddresses.PRODUCT_CREATE,
        new ApiRequest(null, null, new JsonArray().add(1), null), CatalogClient.ADMIN));
    assertThat(notAnObject.status()).isEqualTo(400);

    Map<String, Map<String, String>> badQueries = Map.of(
        "limit", Map.of("limit", "0"),
        "sort", Map.of("sort", "popularity"),
        "minPrice", Map.of("minPrice", "-5"),
        "maxPrice", Map.of("maxPrice", "ten"),
        "cursor", Map.of("cursor", "not-a-cursor"),
        "category", Map.of("category", "../etc"),
        "q", Map.of("q", "x".repeat(201)));
    badQueries.forEach((field, query) -> {
      CatalogClient.Reply reply = catalog.list(query);
      assertThat(reply.status()).as(field).isEqualTo(400);
      assertThat(reply.problem().extensions().getString("field")).as(field).isEqualTo(field);
    });
    assertThat(catalog.list(Map.of("limit", "101")).status()).isEqualTo(400);
    assertThat(catalog.list(Map.of("minPrice", "10", "maxPrice", "5")).status()).isEqualTo(400);
    assertThat(catalog.await(catalog.send(CatalogAddresses.PRODUCT_GET,
        new ApiRequest(new JsonObject().put("id", "abc"), null, null, null), Caller.ANONYMOUS)).status()).isEqualTo(400);
  }

  @Test
  void stockNeverGoesBelowZero() {
    long id = catalog.create(CatalogClient.product("stock-1", "garden", 500), CatalogClient.ADMIN).json().getLong("id");
    CatalogClient.Reply taken = catalog.await(catalog.vertxRequest(CatalogAddresses.STOCK_ADJUST, new JsonObject().put("id", id).put("delta", -7)));
    assertThat(taken.json().getInteger("stock")).isEqualTo(3);
    CatalogClient.Reply tooMany = catalog.await(catalog.vertxRequest(CatalogAddresses.STOCK_ADJUST, new JsonObject().put("id", id).put("delta", -4)));
    assertThat(tooMany.status()).isEqualTo(409);
    assertThat(catalog.get(id).json().getInteger("stock")).isEqualTo(3);
  }

  @Test
  void paginationWalksAThousandProductsWithoutDuplicatesOrGaps() {
    String category = "walk-" + UUID.randomUUID().toString().substring(0, 6);
    List<Future<CatalogClient.Reply>> creates = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      creates.add(catalog.send(CatalogAddresses.PRODUCT_CREATE,
          new ApiRequest(null, null, CatalogClient.product(category + "-" + i, category, 100 + (i * 37L) % 500), null), CatalogClient.ADMIN));
      if (creates.size() == 100) {
        creates.forEach(f -> assertThat(catalog.await(f).status()).isEqualTo(201));
        creates.clear();
      }
    }
    for (String sort : List.of("price", "-price", "name", "-name", "newest")) {
      Set<Long> seen = new HashSet<>();
      List<JsonObject> walked = new ArrayList<>();
      String cursor = null;
      do {
        Map<String, String> query = new HashMap<>(Map.of("category", category, "sort", sort, "limit", "37"));
        if (cursor != null) {
          query.put("cursor", cursor);
        }
        CatalogClient.Reply page = catalog.list(query);
        assertThat(page.status()).as(String.valueOf(page.problem())).isEqualTo(200);
        page.json().getJsonArray("items").forEach(item -> {
          JsonObject product = (JsonObject) item;
          assertThat(seen.add(product.getLong("id"))).as("duplicate in " + sort).isTrue();
          walked.add(product);
        });
        cursor = page.json().getString("nextCursor");
      } while (cursor != null);
      assertThat(seen).as(sort).hasSize(1000);
      assertOrdered(walked, sort);
    }
    CatalogClient.Reply cheap = catalog.list(Map.of("category", category, "maxPrice", "150", "limit", "100"));
    assertThat(cheap.json().getJsonArray("items")).isNotEmpty()
        .allSatisfy(item -> assertThat(((JsonObject) item).getLong("priceCents")).isLessThanOrEqualTo(150));
  }

  @Test
  void fullTextSearchAndCategories() {
    String category = "search-" + UUID.randomUUID().toString().substring(0, 6);
    catalog.create(CatalogClient.product(category + "-a", category, 900).put("name", "Cast iron skillet")
        .put("description", "Heavy pan for searing"), CatalogClient.ADMIN);
    catalog.create(CatalogClient.product(category + "-b", category, 300).put("name", "Bamboo spoon")
        .put("description", "Gentle on pans"), CatalogClient.ADMIN);

    JsonArray skillets = catalog.list(Map.of("q", "skillets", "category", category)).json().getJsonArray("items");
    assertThat(skillets).hasSize(1);
    assertThat(skillets.getJsonObject(0).getString("name")).isEqualTo("Cast iron skillet");
    assertThat(catalog.list(Map.of("q", "pan", "category", category)).json().getJsonArray("items")).hasSize(2);

    JsonArray categories = (JsonArray) catalog.await(catalog.send(CatalogAddresses.CATEGORIES_LIST,
        new ApiRequest(null, null, null, null), Caller.ANONYMOUS)).body();
    assertThat(categories).anySatisfy(c -> {
      JsonObject json = (JsonObject) c;
      assertThat(json.getString("slug")).isEqualTo(category);
      assertThat(json.getLong("count")).isEqualTo(2);
    });
  }

  private static void assertOrdered(List<JsonObject> items, String sort) {
    for (int i = 1; i < items.size(); i++) {
      JsonObject a = items.get(i - 1);
      JsonObject b = items.get(i);
      int compare = switch (sort) {
        case "price", "-price" -> Long.compare(a.getLong("priceCents"), b.getLong("priceCents"));
        case "name", "-name" -> 0;
        default -> Instant.parse(b.getString("createdAt")).compareTo(Instant.parse(a.getString("createdAt")));
      };
      if (sort.startsWith("-")) {
        compare = -compare;
      }
      assertThat(compare).as(sort + " at " + i).isLessThanOrEqualTo(0);
    }
  }
}
