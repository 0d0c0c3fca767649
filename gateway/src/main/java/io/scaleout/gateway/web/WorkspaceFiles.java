package io.scaleout.gateway.web;

import io.scaleout.common.bus.FailureCode;
import io.scaleout.common.bus.Problem;
import io.scaleout.common.worker.Workspace;
import io.scaleout.gateway.cache.ETags;
import io.scaleout.gateway.http.ProblemResponses;
import io.vertx.core.file.FileSystem;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

import java.util.Map;

/**
 * GET /files/{name}: what jobs made (thumbnails), from the workspace's {@code files/}. A name
 * carries its content's hash, so it never changes content: caches keep it for a year, and its
 * ETag is the name itself. Only names of that form are looked up, so no request reaches outside
 * the folder; a file not there (yet) is a 404 that no cache keeps.
 */
public final class WorkspaceFiles {
  /** Content types of the extensions {@link Workspace#FILE_NAME} allows. */
  private static final Map<String, String> TYPES = Map.of("png", "image/png", "jpg", "image/jpeg", "jpeg", "image/jpeg",
      "webp", "image/webp");

  private final FileSystem fs;
  private final Workspace workspace;

  public WorkspaceFiles(FileSystem fs, Workspace workspace) {
    this.fs = fs;
    this.workspace = workspace;
  }

  public void handle(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    if (!Workspace.FILE_NAME.matcher(name).matches()) {
      notFound(ctx);
      return;
    }
    String path = workspace.files().resolve(name).toString();
    fs.exists(path).onComplete(found -> {
      if (found.failed() || !found.result()) {
        notFound(ctx);
        return;
      }
      String etag = "\"" + name + "\"";
      HttpServerResponse response = ctx.response()
          .putHeader(HttpHeaders.CACHE_CONTROL, StaticFiles.IMMUTABLE)
          .putHeader(HttpHeaders.ETAG, etag);
      if (ETags.matches(ctx.request().getHeader(HttpHeaders.IF_NONE_MATCH), etag)) {
        response.setStatusCode(304).end();
        return;
      }
      response.putHeader(HttpHeaders.CONTENT_TYPE, TYPES.get(name.substring(name.lastIndexOf('.') + 1)))
          .sendFile(path)
          .onFailure(failure -> notFound(ctx));
    });
  }

  private static void notFound(RoutingContext ctx) {
    ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-store").headers().remove(HttpHeaders.ETAG);
    ProblemResponses.send(ctx, Problem.of(FailureCode.NOT_FOUND, "No file at " + ctx.request().path()));
  }
}
