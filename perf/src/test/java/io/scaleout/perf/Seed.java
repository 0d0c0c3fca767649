package io.scaleout.perf;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Test data through the public API, before a simulation starts: the administrator signs in and
 * creates products in the category {@code perf} until there are as many as the run asks for.
 */
final class Seed {
  static final String CATEGORY = "perf";
  private static final String[] WORDS = {"mug", "lamp", "chair", "kettle", "notebook", "pen", "plant", "clock"};

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final PerfSettings settings;

  Seed(PerfSettings settings) {
    this.settings = settings;
  }

  String adminToken() {
    JsonObject login = send("POST", "/api/sessions", null,
        new JsonObject().put("email", settings.adminEmail).put("password", settings.adminPassword()), 201);
    return login.getString("token");
  }

  /** The ids of at least {@code count} products of the perf category, creating what is missing. */
  List<Long> products(int count) {
    List<Long> ids = new ArrayList<>();
    String cursor = null;
    do {
      JsonObject page = send("GET", "/api/products?category=" + CATEGORY + "&limit=100" + (cursor == null ? "" : "&cursor=" + cursor),
          null, null, 200);
      page.getJsonArray("items").forEach(item -> ids.add(((JsonObject) item).getLong("id")));
      cursor = page.getString("nextCursor");
    } while (cursor != null && ids.size() < count);
    if (ids.size() < count) {
      String token = adminToken();
      String run = Long.toString(System.currentTimeMillis(), 36);
      for (int i = ids.size(); i < count; i++) {
        String word = WORDS[i % WORDS.length];
        JsonObject product = new JsonObject()
            .put("sku", "perf-" + run + "-" + i).put("name", "Perf " + word + " " + i)
            .put("description", "A " + word + " made for load tests, number " + i)
            .put("category", CATEGORY).put("priceCents", 100 + i * 7 % 9000).put("currency", "EUR").put("stock", 1_000_000);
        ids.add(send("POST", "/api/products", token, product, 201).getLong("id"));
      }
    }
    return ids.subList(0, count);
  }

  static List<String> searchWords() {
    return List.of(WORDS);
  }

  private JsonObject send(String method, String path, String token, JsonObject body, int expected) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(settings.baseUrl + path)).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.encode()));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != expected) {
        throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
      }
      return response.body().startsWith("[") ? new JsonObject().put("items", new JsonArray(response.body())) : new JsonObject(response.body());
    } catch (IOException e) {
      throw new IllegalStateException("Cannot reach " + settings.baseUrl + " (is the cluster up?): " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
