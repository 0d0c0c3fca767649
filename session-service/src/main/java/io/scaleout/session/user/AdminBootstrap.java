package io.scaleout.session.user;

import io.scaleout.common.bus.ServiceException;
import io.scaleout.session.password.HashingPool;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/** Makes the administrator named by ADMIN_EMAIL / ADMIN_PASSWORD when it does not exist yet. */
public final class AdminBootstrap {
  private static final Logger log = LoggerFactory.getLogger(AdminBootstrap.class);

  private AdminBootstrap() {
  }

  public static Future<Void> ensure(UserStore users, HashingPool hashing, Credentials credentials, String email, String password) {
    if (email.isEmpty()) {
      return Future.succeededFuture();
    }
    if (password.isEmpty()) {
      return Future.failedFuture(new IllegalArgumentException("ADMIN_EMAIL is set but ADMIN_PASSWORD is empty"));
    }
    Credentials.Registration admin;
    try {
      admin = credentials.registration(new io.vertx.core.json.JsonObject()
          .put("email", email).put("password", password).put("name", "Administrator"));
    } catch (ServiceException e) {
      return Future.failedFuture(new IllegalArgumentException("ADMIN_EMAIL/ADMIN_PASSWORD: " + e.getMessage()));
    }
    return users.byEmail(admin.email()).compose(existing -> {
      if (existing != null) {
        return Future.succeededFuture();
      }
      return hashing.hash(admin.password())
          .compose(hash -> users.insert(admin.email(), admin.name(), hash, List.of("user", "admin")))
          .<Void>mapEmpty()
          .onSuccess(v -> log.info("Administrator {} created", admin.email()))
          // another instance made it at the same moment
          .recover(failure -> failure instanceof ServiceException ? Future.succeededFuture() : Future.failedFuture(failure));
    });
  }
}
