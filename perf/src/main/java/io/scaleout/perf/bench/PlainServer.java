package io.scaleout.perf.bench;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.http.HttpServerOptions;

/**
 * The ceiling of the gateway benchmark: a plain Vert.x HTTP server (epoll, one verticle per core)
 * answering {@link FixedReply} to every request. Usage: {@code PlainServer PORT [INSTANCES]}.
 */
public final class PlainServer extends VerticleBase {
  private final int port;

  private PlainServer(int port) {
    this.port = port;
  }

  @Override
  public Future<?> start() {
    return vertx.createHttpServer(new HttpServerOptions().setPort(port).setHost("127.0.0.1").setTcpNoDelay(true))
        .requestHandler(request -> request.response().putHeader("Content-Type", "application/json").end(FixedReply.BYTES))
        .listen();
  }

  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    int instances = args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    vertx.deployVerticle(() -> new PlainServer(port), new DeploymentOptions().setInstances(instances))
        .onSuccess(id -> System.out.println("plain server on " + port + " (" + instances + " instances, "
            + (vertx.isNativeTransportEnabled() ? "epoll" : "NIO") + ")"))
        .onFailure(failure -> {
          failure.printStackTrace();
          System.exit(1);
        });
  }
}
