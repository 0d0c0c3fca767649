package io.scaleout.gateway.web;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * The web UI from a classpath folder. Assets whose names carry a content hash
 * ({@code /assets/app.3f2a9c1e.js}) never change under that name, so browsers and CDNs keep them
 * for a year without asking; everything else (index.html) is revalidated on every use. Paths are
 * normalized before lookup, so no form of "..", encoded or not, reaches outside the web root.
 */
public final class StaticFiles {
  /** A fingerprinted asset: a name, a dot, at least 8 hex digits of content hash, an extension. */
  static final Pattern FINGERPRINTED = Pattern.compile("^/assets/[A-Za-z0-9_-]+\\.[0-9a-f]{8,}\\.[a-z0-9]+$");
  private static final long IMMUTABLE_SECONDS = Duration.ofDays(365).toSeconds();
  /** Cache-Control of content that never changes under its name. */
  static final String IMMUTABLE = "public, max-age=" + IMMUTABLE_SECONDS + ", immutable";

  private StaticFiles() {
  }

  public static Handler<RoutingContext> handler(String webRoot) {
    StaticHandler files = StaticHandler.create(webRoot)
        .setCachingEnabled(true)
        .setMaxAgeSeconds(IMMUTABLE_SECONDS)
        .setDirectoryListing(false)
        .setIncludeHidden(false)
        .setIndexPage("index.html");
    return ctx -> {
      boolean immutable = FINGERPRINTED.matcher(ctx.normalizedPath()).matches();
      ctx.addHeadersEndHandler(v -> ctx.response().headers().set(HttpHeaders.CACHE_CONTROL,
          immutable ? IMMUTABLE : "no-cache"));
      files.handle(ctx);
    };
  }
}
