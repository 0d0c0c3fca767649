package io.scaleout.session;

import io.scaleout.common.db.Databases;
import io.scaleout.common.runtime.ServiceContext;
import io.scaleout.session.api.CartEndpoints;
import io.scaleout.session.api.SessionEndpoints;
import io.scaleout.session.cart.CartStore;
import io.scaleout.session.password.HashingPool;
import io.scaleout.session.store.GridSessionStore;
import io.scaleout.session.store.LoginThrottle;
import io.scaleout.session.store.RedisSessionStore;
import io.scaleout.session.store.SessionStore;
import io.scaleout.session.user.AdminBootstrap;
import io.scaleout.session.user.Credentials;
import io.scaleout.session.user.UserStore;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.scaleout.common.redis.BoundedRedis;

/**
 * Wires the session service: its database (migrated at start), the password hashing pool, the
 * session store (Redis or the data grid), login throttling and carts in Redis, and the endpoints on
 * {@code SESSION_INSTANCES} event loops.
 */
public final class SessionModule {
  private SessionModule() {
  }

  public static Future<Void> start(ServiceContext service) {
    SessionConfig config = SessionConfig.from(service.settings());
    Vertx vertx = service.vertx();
    return Databases.prepare(vertx, config.database(), "session").compose(v -> {
      BoundedRedis redis = new BoundedRedis(config.redis().client(vertx), config.redis().timeout());
      UserStore users = new UserStore(Databases.pipelinedClient(vertx, config.database(), config.database().host(), config.database().port()));
      HashingPool hashing = new HashingPool(vertx, config.hashing());
      SessionStore sessions = config.store() == SessionConfig.StoreKind.REDIS
          ? new RedisSessionStore(redis, config.keyPrefix())
          : new GridSessionStore(vertx, config.keyPrefix() + "sessions", config.redis().timeout(), service.clusterMac());
      LoginThrottle throttle = new LoginThrottle(redis, config.keyPrefix(), config.throttle());
      SessionEndpoints sessionEndpoints = new SessionEndpoints(config, users, hashing, sessions, throttle, vertx.eventBus(),
          service.callerSeal(), service.clusterMac());
      CartEndpoints cartEndpoints = new CartEndpoints(new CartStore(redis, config.keyPrefix(), config.cartTtl()),
          service.busClient(), config.cartMaxItems(), config.catalogTimeout(), service.callerSeal());
      Credentials credentials = new Credentials(config.passwordMinLength(), config.passwordMaxBytes());
      hashing.bindTo(service.metrics());
      sessionEndpoints.bindTo(service.metrics());
      return hashing.start()
          .compose(x -> AdminBootstrap.ensure(users, hashing, credentials, config.adminEmail(), config.adminPassword()))
          .compose(x -> vertx.deployVerticle(() -> new VerticleBase() {
            @Override
            public Future<?> start() {
              return Future.all(sessionEndpoints.register(service.endpoints()), cartEndpoints.register(service.endpoints()));
            }
          }, new DeploymentOptions().setInstances(config.instances())))
          .mapEmpty();
    });
  }
}
