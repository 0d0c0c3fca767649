package io.scaleout.gateway.jobs;

import io.scaleout.common.bus.FailureCode;
import io.scaleout.common.bus.Problem;
import io.scaleout.common.worker.Workspace;
import io.scaleout.gateway.cache.ETags;
import io.scaleout.gateway.http.ProblemResponses;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

import java.time.Duration;
import java.util.Map;

/**
 * GET /files/{name}: what jobs made (thumbnails), from the workspace. Names carry the content's
 * hash, so a name never changes content: caches keep them for a year and never ask again. Only
 * names of that form are looked up, so no request reaches outside the folder.
 */
public final class FilesHandler {
  private static final String IMMUTABLE = "public, max-age=" + Duration.ofDays(365).toSeconds() + ", immutable";
  private static final Map<String, String> TYPES = Map.of("png", "image/png", "jpg", "image/jpeg", "jpeg", "image/jpeg",
      "webp", "image/webp");

  private final Vertx vertx;
  private final Workspace workspace;

  public FilesHandler(Vertx vertx, Workspace workspace) {
    this.vertx = vertx;
    this.workspace = workspace;
  }

  public void handle(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    if (name == null || !Workspace.FILE_NAME.matcher(name).matches()) {
      notFound(ctx);
      return;
    }
    String etag = "\"" + name + "\"";
    String path = workspace.files().resolve(name).toString();
    vertx.fileSystem().exists(path).onComplete(found -> {
      if (found.failed() || !found.result()) {
        notFound(ctx);
        return;
      }
      ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, IMMUTABLE).putHeader(HttpHeaders.ETAG, etag);
      if (ETags.matches(ctx.request().getHeader(HttpHeaders.IF_NONE_MATCH), etag)) {
        ctx.response().setStatusCode(304).end();
        return;
      }
      ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, TYPES.get(name.substring(name.lastIndexOf('.') + 1)))
          .sendFile(path).onFailure(failure -> notFound(ctx));
    });
  }

  private static void notFound(RoutingContext ctx) {
    ProblemResponses.send(ctx, Problem.of(FailureCode.NOT_FOUND, "No file at " + ctx.request().path()));
  }
}
