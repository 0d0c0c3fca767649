import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;

/**
 * The demo catalog, loaded through the public API as an administrator would: one NDJSON import
 * job of every product (upserted by sku, so a second run changes nothing), then a generated
 * picture uploaded for each demo product that has none yet (the worker's thumbnail jobs). The
 * products, their prices and pictures are the same on every run (seeded by their sku).
 *
 * <p>Usage: {@code java DemoData.java BASE_URL ADMIN_EMAIL} with the password in ADMIN_PASSWORD.
 */
public final class DemoData {
  record Category(String slug, float hue, String[] nouns) {
  }

  static final String[] ADJECTIVES = {"Classic", "Compact", "Sturdy", "Bright", "Quiet", "Nordic", "Vintage", "Everyday",
      "Deluxe", "Handmade", "Folding", "Travel", "Modern", "Rustic", "Smart"};
  static final List<Category> CATEGORIES = List.of(
      new Category("kitchen", 0.02f, new String[] {"Mug", "Kettle", "Teapot", "Knife", "Cutting board"}),
      new Category("garden", 0.30f, new String[] {"Watering can", "Trowel", "Planter", "Hose reel", "Bird feeder"}),
      new Category("books", 0.08f, new String[] {"Notebook", "Atlas", "Cookbook", "Novel", "Sketchbook"}),
      new Category("games", 0.75f, new String[] {"Board game", "Puzzle", "Card deck", "Chess set", "Dice set"}),
      new Category("lighting", 0.14f, new String[] {"Desk lamp", "Lantern", "Floor lamp", "Candle", "String lights"}),
      new Category("outdoor", 0.40f, new String[] {"Tent", "Backpack", "Camp stove", "Hammock", "Water bottle"}),
      new Category("office", 0.60f, new String[] {"Pen set", "Stapler", "Desk organizer", "Chair cushion", "Monitor stand"}),
      new Category("music", 0.88f, new String[] {"Ukulele", "Harmonica", "Metronome", "Headphones", "Tambourine"}),
      new Category("bath", 0.52f, new String[] {"Towel", "Soap dish", "Bath mat", "Toothbrush cup", "Robe"}));
  static final int PER_CATEGORY = 25;
  static final Duration TIMEOUT = Duration.ofSeconds(30);
  static final Duration UNKNOWN_JOB_GRACE = Duration.ofSeconds(20);

  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  final String base;
  String token;

  DemoData(String base) {
    this.base = base.replaceAll("/+$", "");
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 2 || System.getenv("ADMIN_PASSWORD") == null) {
      throw new IllegalArgumentException("usage: ADMIN_PASSWORD=... java DemoData.java BASE_URL ADMIN_EMAIL");
    }
    DemoData demo = new DemoData(args[0]);
    demo.signIn(args[1], System.getenv("ADMIN_PASSWORD"));
    if (demo.loadedBefore()) {
      System.out.println("demo data: every demo category holds its products already; no import");
    } else {
      demo.importProducts();
    }
    demo.addPictures();
  }

  void signIn(String email, String password) throws Exception {
    String body = "{\"email\":" + json(email) + ",\"password\":" + json(password) + "}";
    HttpResponse<String> reply = send(HttpRequest.newBuilder(uri("/api/sessions")).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)), 201);
    token = field(reply.body(), "token");
  }

  /** Every demo category already holds at least its products (a start after the first). */
  boolean loadedBefore() throws Exception {
    String categories = send(HttpRequest.newBuilder(uri("/api/categories")).GET(), 200).body();
    for (Category category : CATEGORIES) {
      Matcher count = Pattern.compile("\\{\"slug\":\"" + category.slug + "\"[^}]*\"count\":(\\d+)").matcher(categories);
      if (!count.find() || Integer.parseInt(count.group(1)) < PER_CATEGORY) {
        return false;
      }
    }
    return true;
  }

  void importProducts() throws Exception {
    StringBuilder ndjson = new StringBuilder();
    int count = 0;
    for (Category category : CATEGORIES) {
      for (int i = 1; i <= PER_CATEGORY; i++) {
        Random random = new Random(("demo-" + category.slug + i).hashCode());
        String noun = category.nouns[(i - 1) % category.nouns.length];
        String adjective = ADJECTIVES[(i * 7 + category.slug.length()) % ADJECTIVES.length];
        String name = adjective + " " + noun.toLowerCase();
        long price = (random.nextInt(190) + 5) * 100L + (random.nextBoolean() ? 99 : 50);
        long stock = random.nextInt(10) == 0 ? 0 : random.nextInt(60) + 1;
        ndjson.append("{\"sku\":").append(json(sku(category, i))).append(",\"name\":").append(json(name))
            .append(",\"description\":").append(json(description(adjective, noun, category, random)))
            .append(",\"category\":").append(json(category.slug)).append(",\"priceCents\":").append(price)
            .append(",\"currency\":\"EUR\",\"stock\":").append(stock).append("}\n");
        count++;
      }
    }
    String job = submitJob(authorized("/api/imports").header("Content-Type", "application/x-ndjson")
        .POST(HttpRequest.BodyPublishers.ofString(ndjson.toString())));
    System.out.println("demo data: importing " + count + " products in " + CATEGORIES.size() + " categories (job " + job + ")");
    String result = awaitJob(job, Duration.ofSeconds(180));
    System.out.println("demo data: import done: created " + number(result, "created") + ", updated " + number(result, "updated")
        + ", unchanged " + number(result, "unchanged") + ", rejected " + number(result, "rejectedCount"));
  }

  void addPictures() throws Exception {
    List<long[]> missing = new ArrayList<>();
    for (Category category : CATEGORIES) {
      String cursor = null;
      do {
        String path = "/api/products?limit=100&category=" + category.slug + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
        String page = send(HttpRequest.newBuilder(uri(path)).GET(), 200).body();
        // every product of the list starts with its id (the catalog's field order), and its text
        // fields may hold any character, so each is looked at on its own
        for (String product : page.split("\\{\"id\":")) {
          Matcher demo = Pattern.compile("^(\\d+),\"sku\":\"demo-[a-z]+-(\\d+)\"").matcher(product);
          if (demo.find() && product.contains("\"images\":[]")) {
            missing.add(new long[] {Long.parseLong(demo.group(1)), CATEGORIES.indexOf(category), Long.parseLong(demo.group(2))});
          }
        }
        Matcher next = Pattern.compile("\"nextCursor\":\"([^\"]+)\"").matcher(page);
        cursor = next.find() ? next.group(1) : null;
      } while (cursor != null);
    }
    if (missing.isEmpty()) {
      System.out.println("demo data: every demo product has its picture");
      return;
    }
    System.out.println("demo data: uploading " + missing.size() + " pictures (thumbnail jobs)");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<String>> jobs = new ArrayList<>();
    for (long[] product : missing) {
      jobs.add(pool.submit(() -> {
        byte[] jpeg = picture(CATEGORIES.get((int) product[1]), (int) product[2]);
        return submitJob(authorized("/api/products/" + product[0] + "/image").header("Content-Type", "image/jpeg")
            .POST(HttpRequest.BodyPublishers.ofByteArray(jpeg)));
      }));
    }
    int failed = 0;
    for (Future<String> job : jobs) {
      try {
        awaitJob(job.get(), Duration.ofSeconds(300));
      } catch (Exception e) {
        failed++;
        System.err.println("demo data: a picture failed: " + e.getMessage());
      }
    }
    pool.shutdown();
    System.out.println("demo data: " + (missing.size() - failed) + " pictures made" + (failed > 0 ? ", " + failed + " failed" : ""));
    if (failed > 0) {
      System.exit(1);
    }
  }

  /** A picture that tells the products apart: the category's hue, shapes placed by the sku. */
  static byte[] picture(Category category, int index) throws IOException {
    int size = 800;
    Random random = new Random((category.slug + index).hashCode());
    BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    float hue = category.hue + (random.nextFloat() - 0.5f) * 0.06f;
    g.setPaint(new GradientPaint(0, 0, Color.getHSBColor(hue, 0.35f, 0.97f), size, size, Color.getHSBColor(hue, 0.55f, 0.78f)));
    g.fillRect(0, 0, size, size);
    for (int i = 0; i < 3 + random.nextInt(4); i++) {
      g.setColor(Color.getHSBColor(hue + random.nextFloat() * 0.15f, 0.6f + random.nextFloat() * 0.3f, 0.5f + random.nextFloat() * 0.4f));
      int w = 120 + random.nextInt(300);
      int x = random.nextInt(size - w);
      int y = random.nextInt(size - w);
      g.fill(random.nextBoolean() ? new Ellipse2D.Float(x, y, w, w) : new RoundRectangle2D.Float(x, y, w, w * 0.7f, 40, 40));
    }
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "jpg", out);
    return out.toByteArray();
  }

  String awaitJob(String id, Duration limit) throws Exception {
    long started = System.nanoTime();
    long deadline = started + limit.toNanos();
    while (System.nanoTime() < deadline) {
      HttpResponse<String> reply = send(authorized("/api/jobs/" + id).GET(), 200, 404);
      if (reply.statusCode() == 404) {
        // a job named by a 504 can appear a moment later; one still unknown after that was never taken
        if (System.nanoTime() - started > UNKNOWN_JOB_GRACE.toNanos()) {
          throw new IllegalStateException("job " + id + " was never taken by the worker");
        }
        Thread.sleep(500);
        continue;
      }
      String body = reply.body();
      String status = field(body, "status");
      if (status.equals("succeeded")) {
        return body;
      }
      if (status.equals("dead")) {
        throw new IllegalStateException("job " + id + " is dead: " + body);
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("job " + id + " not done within " + limit.toSeconds() + " s");
  }

  /** Sends, waiting out a 429 or 503 by its Retry-After (a few times), and checks the status is one of those expected. */
  HttpResponse<String> send(HttpRequest.Builder request, int... expected) throws Exception {
    for (int attempt = 1; ; attempt++) {
      HttpResponse<String> reply = http.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
      if ((reply.statusCode() == 429 || reply.statusCode() == 503) && attempt < 6) {
        Thread.sleep(1000L * Math.min(10, reply.headers().firstValue("Retry-After").map(Long::parseLong).orElse(1L)));
        continue;
      }
      if (IntStream.of(expected).noneMatch(status -> status == reply.statusCode())) {
        throw new IllegalStateException(reply.request().method() + " " + reply.request().uri().getPath() + " answered "
            + reply.statusCode() + ": " + reply.body());
      }
      return reply;
    }
  }

  /**
   * Submits a job's upload: the job id from the answer's Location, which a 202 has and so does a
   * 504 (the worker took longer than the gateway waits: the job may still run and is followed).
   */
  String submitJob(HttpRequest.Builder request) throws Exception {
    HttpResponse<String> reply = send(request, 202, 504);
    String location = reply.headers().firstValue("Location")
        .orElseThrow(() -> new IllegalStateException(reply.request().uri().getPath() + " answered " + reply.statusCode() + ": " + reply.body()));
    if (reply.statusCode() == 504) {
      System.out.println("demo data: " + reply.request().uri().getPath() + " timed out at the gateway; following its job");
    }
    return location.replaceFirst("^/api/jobs/", "");
  }

  HttpRequest.Builder authorized(String path) {
    return HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token);
  }

  URI uri(String path) {
    return URI.create(base + path);
  }

  static String sku(Category category, int index) {
    return String.format("demo-%s-%03d", category.slug, index);
  }

  static String description(String adjective, String noun, Category category, Random random) {
    String[] uses = {"for every day", "made to last", "that packs small", "for gifts", "with a five-year warranty"};
    return adjective + " " + noun.toLowerCase() + " " + uses[random.nextInt(uses.length)] + ", from our " + category.slug + " range.";
  }

  static String field(String json, String name) {
    Matcher value = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
    if (!value.find()) {
      throw new IllegalStateException("no " + name + " in " + json);
    }
    return value.group(1);
  }

  static String number(String json, String name) {
    Matcher value = Pattern.compile("\"" + name + "\":(\\d+)").matcher(json);
    return value.find() ? value.group(1) : "?";
  }

  static String json(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
