package io.scaleout.worker.catalog;

import io.scaleout.common.api.Caller;
import io.scaleout.common.api.CallerSeal;
import io.scaleout.common.bus.BusClient;
import io.scaleout.common.bus.Problem;
import io.scaleout.common.bus.Service;
import io.scaleout.common.catalog.CatalogAddresses;
import io.scaleout.worker.api.JobEndpoints;
import io.scaleout.worker.job.Job;
import io.scaleout.worker.job.JobFailure;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * The catalog's event-bus contract as jobs use it, acting for the user who submitted the job. The
 * catalog refusing the request (404, 400, 403) is a permanent failure of the job; no answer, a
 * timeout or a 5xx is transient (the job is retried).
 */
public final class CatalogClient {
  private final BusClient bus;
  private final Duration timeout;
  private final CallerSeal callers;

  public CatalogClient(BusClient bus, Duration timeout, CallerSeal callers) {
    this.bus = bus;
    this.timeout = timeout;
    this.callers = callers;
  }

  /** {@code products} by sku → {results:[...]} (see {@link CatalogAddresses#PRODUCTS_UPSERT}). */
  public Future<JsonObject> upsert(Job job, JsonArray products) {
    return call(job, CatalogAddresses.PRODUCTS_UPSERT, new JsonObject().put("products", products));
  }

  public Future<JsonObject> setImages(Job job, long productId, JsonArray images) {
    return call(job, CatalogAddresses.PRODUCT_SET_IMAGES, new JsonObject().put("id", productId).put("images", images));
  }

  private Future<JsonObject> call(Job job, String address, JsonObject body) {
    DeliveryOptions options = callers.sign(actingFor(job), address, new DeliveryOptions().setSendTimeout(timeout.toMillis()));
    return bus.<JsonObject>requestIdempotent(Service.CATALOG, address, body, options).map(Message::body).recover(CatalogClient::classify);
  }

  private static <T> Future<T> classify(Throwable failure) {
    if (failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE
        && reply.failureCode() >= 400 && reply.failureCode() < 500) {
      Problem problem = Problem.fromFailure(reply, "catalog");
      return Future.failedFuture(new JobFailure("the catalog refused (" + problem.code().status() + "): " + problem.detail()));
    }
    return Future.failedFuture(failure);
  }

  /** The caller recorded at submission. */
  static Caller actingFor(Job job) {
    JsonObject who = job.payload().getJsonObject(JobEndpoints.ACTING_FOR, new JsonObject());
    Set<String> roles = new HashSet<>();
    who.getJsonArray("roles", new JsonArray()).forEach(role -> roles.add(String.valueOf(role)));
    return new Caller(who.getString("userId", job.owner()), roles);
  }
}
